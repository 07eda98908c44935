/**
 * The unit a template gives a figure column, read where a person reads it: in the label
 * (罚没款（元）), in a units row under the labels (计量单位 | 人次 | 元), in a caption above the
 * table (单位：万元, 金额单位：元, （单位：件、万元）) or in a note under it (罚没款以元计).
 * Pure: locate.ts finds the texts, this decides what they say and how figures convert.
 */
import { normalizeText } from './labels.js';

/** Money units and their size in 元. */
const MONEY: Record<string, number> = { 元: 1, 千元: 1000, 万元: 10_000, 百万元: 1_000_000, 亿元: 100_000_000 };

/** A unit word as written in a units row or a caption: （元） → 元; undefined when it is no unit. */
export function unitWord(text: string): string | undefined {
  const s = bareUnit(normalizeText(text).replace(/^\((.*)\)$/u, '$1'));
  return /^[\p{Script=Han}%‰]{1,4}$/u.test(s) && !/^(?:甲|乙|丙|栏次|行次|计量单位|单位|合计|备注|序号)$/u.test(s) ? s : undefined;
}

/** A unit without the words before it: 单位：万元 → 万元, 金额单位:元 → 元. */
export const bareUnit = (unit: string) => unit.replace(/^(?:金额|计量)?单位[:：]?/u, '');

/** True for a unit of money (元, 万元, 美元 …): such a unit must be one this tool can convert. */
export const isMoney = (unit: string) => unit.endsWith('元');

/**
 * The money unit a caption or note states, if it states one: `单位：万元`, `金额单位：元`,
 * `（单位：件、万元）`, `罚没款以元计`, `金额单位为元`, `单位：元/万元` gives both (ambiguous, see columnUnit).
 * `填报单位：` and the like are labels of the form, not captions.
 */
export function captionMoneyUnits(text: string): string[] {
  const s = normalizeText(text);
  const out = new Set<string>();
  for (const m of s.matchAll(/(?<!填报|报送|责任|统计|主管|牵头|配合|呈报)(?:金额|计量|货币)?单位[:：]([^;；。]+)/gu)) {
    for (const token of (m[1] as string).split(/[、，,/()（）\s]+/u)) {
      const word = unitWord(token);
      if (word && isMoney(word)) out.add(word);
    }
  }
  for (const m of s.matchAll(/以([\p{Script=Han}]{0,2}元)(?:为单位|计)|(?<!填报|报送|责任|统计|主管|牵头|配合|呈报)单位(?:为|是)([\p{Script=Han}]{0,2}元)/gu)) out.add((m[1] ?? m[2]) as string);
  return [...out];
}

/**
 * How a figure in `campaignUnit` goes into a column in `templateUnit`: multiplied by
 * `factor` (1 when they are one unit, or two words for one count: 个 and 个次), or not at
 * all — a unit of money this tool does not know, money against a count, or a conversion
 * that would need more decimals than the figures have (万元 into 亿元).
 */
export function unitFactor(campaignUnit: string, templateUnit: string): { factor: number } | { reason: 'unknown' | 'inexact' } {
  const [c, t] = [normalizeText(campaignUnit), normalizeText(templateUnit)];
  if (c === t) return { factor: 1 };
  if (!isMoney(c) && !isMoney(t)) return { factor: 1 };
  const [from, to] = [MONEY[c], MONEY[t]];
  if (from === undefined || to === undefined) return { reason: 'unknown' };
  const factor = from / to;
  return Number.isInteger(factor) ? { factor } : { reason: 'inexact' };
}
