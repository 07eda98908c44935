/**
 * The 同比 paragraph of the 总结 draft: “与2023年相比，出动执法人员1286人次，同比增长22.2%；…”.
 * Only figures present in both rounds for the same departments are compared; departments
 * not in either round are named once, a blank figure of one department by the indicator, and
 * an indicator with nothing comparable is named as not compared. Pure.
 */
import { figure } from './text.js';
import { GAP_TEXT, type Comparison, type Gap } from '../history/compare.js';

/** Gaps that concern a department's whole round (named once), not one figure. */
const WHOLE: ReadonlySet<Gap> = new Set(['not-sent', 'past-not-sent', 'past-absent']);

export function comparisonSentences(comparison: Comparison): string {
  const { period } = comparison;
  const whole = new Map<string, Gap>();
  for (const c of comparison.indicators) for (const e of c.excluded) if (WHOLE.has(e.gap)) whole.set(e.name, e.gap);
  const parts: string[] = [];
  const none: string[] = [];
  for (const c of comparison.indicators) {
    const { indicator: ind, total } = c;
    if (!total) {
      if (c.excluded.length) none.push(`“${ind.label}”`);
      continue;
    }
    const space = /[A-Za-z]$/.test(ind.label) ? ' ' : '';
    let text = `${ind.label}${space}${figure(total.now)}${ind.unit}`;
    if (total.percent === undefined) text += `（${period}为0，不计算增幅）`;
    else if (total.change === 0) text += '，与上期持平';
    else text += `，同比${total.change > 0 ? '增长' : '下降'}${Math.abs(total.percent).toFixed(1)}%`;
    // Blank figures of single departments: the comparison is over the others, said here.
    const blanks = c.excluded.filter((e) => !WHOLE.has(e.gap));
    if (blanks.length) text += `（不含${blanks.map((e) => `${e.name}${GAP_TEXT[e.gap]}`).join('、')}）`;
    parts.push(text);
  }
  if (!parts.length) return `各项统计数据与${period}均无可比数据（两期都有数字的单位为零），本稿不作同比。`;
  let text = `与${period}相比（按两期均有数据的单位计算`;
  if (whole.size) text += `，不含${[...whole].map(([name, gap]) => `${GAP_TEXT[gap]}的${name}`).join('、')}`;
  text += `），${parts.join('；')}。`;
  if (none.length) text += `${none.join('、')}没有两期均有数据的单位，不作同比。`;
  return text;
}
