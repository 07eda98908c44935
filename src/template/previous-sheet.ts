/**
 * The 同比 sheet of the merged workbook: per indicator, each department's figure this round
 * and in the earlier round, the change and the percent, then the total over the departments
 * that have the figure in both rounds; 说明 says why a row has no 同比 and who the total
 * leaves out. Its frame is made before the submissions are read (the period is known then).
 */
import type { Campaign } from '../campaign/schema.js';
import type { Merge, Table, Value } from './body.js';
import { GAP_TEXT, type Comparison } from '../history/compare.js';

export const COMPARISON_SHEET = '同比';
export const COMPARISON_HEADERS = ['指标', '计量单位', '单位', '本期', '上期', '增减', '增减幅度（%）', '说明'] as const;
/** The label of the total row: comparable departments only. */
export const COMPARABLE_TOTAL = '合计（两期均有数据的单位）';

export function comparisonTable(campaign: Campaign, period: string, comparison?: Comparison): Table {
  const rows: Value[][] = [];
  const merges: Merge[] = [];
  for (const c of comparison?.indicators ?? []) {
    const first = rows.length;
    const { indicator: ind } = c;
    for (const l of c.departments) {
      const note = l.gaps.length ? l.gaps.map((g) => GAP_TEXT[g]).join('，') : l.change && l.change.percent === undefined ? '上期为0，不计算增幅' : undefined;
      rows.push([rows.length === first ? ind.label : undefined, rows.length === first ? ind.unit : undefined, l.name, l.now, l.past, l.change?.change, l.change?.percent, note]);
    }
    const left = c.excluded.map((e) => `${e.name}（${GAP_TEXT[e.gap]}）`).join('、');
    const note = c.total ? [left && `不含：${left}`, c.total.percent === undefined ? '上期为0，不计算增幅' : ''].filter(Boolean).join('；') : '没有两期均有数据的单位，不作比较';
    rows.push([undefined, undefined, COMPARABLE_TOTAL, c.total?.now, c.total?.past, c.total?.change, c.total?.percent, note || undefined]);
    merges.push({ col: 0, first, last: rows.length - 1 }, { col: 1, first, last: rows.length - 1 });
  }
  const [indicator, unit, department, now, past, change, percent, note] = COMPARISON_HEADERS;
  return {
    name: COMPARISON_SHEET,
    title: `${campaign.title}同比情况表（上期：${period}）`,
    columns: [
      { header: indicator, width: 20, left: true, top: true },
      { header: unit, width: 8, top: true },
      { header: department, width: 22 },
      { header: now, width: 11 },
      { header: past, width: 11 },
      { header: change, width: 11 },
      { header: percent, width: 11, numFmt: '0.0' },
      { header: note, width: 40, left: true },
    ],
    rows,
    merges,
  };
}
