/**
 * 上年同期 columns of an issued template (出动执法人员（上年同期）, 上年同期罚没款 …): the merge
 * fills them with each department's figure of the latest earlier round (blank stays blank) and
 * the 合计 row with a SUM and its exact result. Nothing else of the template changes; a
 * template without such columns gets the 同比 sheet only. Pure: writes out, for write.ts.
 */
import type { Campaign } from '../campaign/schema.js';
import type { CellWrite, FillPlan } from './plan.js';
import { numberFormat, sumFormula } from './plan.js';
import { exactSum } from '../text/values.js';
import type { Grid, TableLayout } from '../table/locate.js';
import { isLabel, normalizeText, unitOf } from '../text/labels.js';
import type { Comparison } from '../history/compare.js';

/** What marks a column as last round's. */
const PAST = /上年同期数?|去年同期数?|上年同期值|上年数|去年数/u;

/**
 * Indicator id → its 上年同期 column, among the headers no indicator took: one that names the
 * indicator (出动执法人员（上年同期）), or a bare 上年同期 under the indicator's merged label
 * (出动执法人员 over 本期 | 上年同期: the indicator took the 本期 column).
 */
export function pastColumns(layout: TableLayout, campaign: Campaign, grid: Grid): Map<string, number> {
  const found = new Map<string, number>();
  const byColumn = new Map(Object.entries(layout.columns).map(([id, col]) => [col, id]));
  for (const h of layout.unusedHeaders) {
    const text = normalizeText(h.text);
    if (!PAST.test(text)) continue;
    const rest = text.replace(PAST, '').replace(/\(\)|（）/gu, '');
    // As for the figures' own columns (locate.ts): money in another unit (元 against 万元) is another column.
    const unit = unitOf(rest);
    const sameUnit = (u: string) => !(unit && unit !== normalizeText(u) && unit.includes('元') && u.includes('元'));
    let id = campaign.indicators.find((i) => sameUnit(i.unit) && [i.label, ...(i.aliases ?? [])].some((l) => isLabel(rest, l)))?.id;
    if (!rest) {
      const above = grid.cell(h.row - 1, h.col)?.master;
      id = above ? byColumn.get(above.col) : undefined;
    }
    if (id && !found.has(id)) found.set(id, h.col);
  }
  return found;
}

/** The cells of the 上年同期 columns: each department's earlier figure, and the 合计 row's sum of the block. */
export function pastColumnWrites(layout: TableLayout, plan: FillPlan, comparison: Comparison, campaign: Campaign, grid: Grid): { writes: CellWrite[]; labels: string[] } {
  const writes: CellWrite[] = [];
  const labels: string[] = [];
  const columns = pastColumns(layout, campaign, grid);
  const count = plan.insert?.count ?? 0;
  const at = plan.insert?.at ?? Number.MAX_SAFE_INTEGER;
  const block = layout.block ? range(layout.block[0], layout.block[1] + count) : Object.values(plan.rows ?? {});
  for (const c of comparison.indicators) {
    const col = columns.get(c.indicator.id);
    if (col === undefined) continue;
    labels.push(c.indicator.label);
    const written = new Map<number, number>();
    for (const line of c.departments) {
      const row = plan.rows?.[line.id];
      if (row === undefined) continue;
      if (line.past === undefined) writes.push({ row, col, content: { type: 'empty' } });
      else {
        written.set(row, line.past);
        writes.push({ row, col, content: { type: 'number', value: line.past, numFmt: numberFormat(c.indicator.kind, line.past) } });
      }
    }
    if (plan.totalRow === undefined) continue;
    // Rows of the block this fill does not write (units outside the campaign) count as the template has them.
    const mine = new Set(Object.values(plan.rows ?? {}));
    const values = block.flatMap((r) => {
      if (mine.has(r)) return written.has(r) ? [written.get(r)!] : [];
      const n = grid.cell(r >= at ? r - count : r, col)?.number;
      return n === undefined ? [] : [n];
    });
    const total = exactSum(c.indicator.kind, values);
    writes.push({
      row: plan.totalRow,
      col,
      content: total === undefined ? { type: 'empty' } : { type: 'formula', formula: sumFormula(col, block), result: total, numFmt: numberFormat(c.indicator.kind, total) },
    });
  }
  return { writes, labels };
}

const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
