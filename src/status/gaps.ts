/**
 * What a merged table leaves out of its figures, carried up level by level (issue 19): a
 * department that did not report (or whose file was refused), a lower level's own gaps under
 * the unit that sent its table, a figure a whole lower level left blank, files skipped with
 * --skip-unknown. The same list is the 合计's note, the 备注 of a lower level's row, the
 * 报送情况 sheet's column, status's line and the 总结's sentence. Pure.
 */
import type { Campaign } from '../campaign/schema.js';
import { submissionOf, UNIT_PATH, type DepartmentStatus, type Gap } from '../model.js';

/** Why a department has no figures, as printed in 备注. */
export const NOT_MERGED: Record<string, string> = {
  missing: '未报送',
  invalid: '报送有误',
  duplicate: '重复报送',
};

/** `parent／unit`, or `parent` for the parent level itself. */
export const underUnit = (parent: string, unit: string): string => (unit ? `${parent}${UNIT_PATH}${unit}` : parent);

/** A gap as written in 备注: 区林业局（未报送）; a gap of the level itself is its reason alone. */
export const gapText = (gap: Gap): string => (gap.unit ? `${gap.unit}（${gap.reason}）` : gap.reason);

/** Gaps grouped by reason, as one note: 区林业局、区公安分局（未报送）；区税务局（报送有误）. */
export function gapsNote(gaps: readonly Gap[]): string {
  const byReason = new Map<string, string[]>();
  const alone: string[] = [];
  for (const g of gaps) {
    if (!g.unit) alone.push(g.reason);
    else byReason.set(g.reason, [...(byReason.get(g.reason) ?? []), g.unit]);
  }
  return [...[...byReason].map(([reason, units]) => `${units.join('、')}（${reason}）`), ...alone].join('；');
}

/**
 * A merged department's own gaps, its units named below it: what its lower level's table
 * leaves out, and the figures that level left blank although others here reported them
 * (only for a lower level's table: a department's blank is its not being responsible, and
 * shows in its row).
 */
export function departmentGaps(campaign: Campaign, status: DepartmentStatus, reportedHere: ReadonlySet<string>): Gap[] {
  const submission = submissionOf(status);
  if (!submission?.rollup) return [];
  const blank = campaign.indicators.filter((i) => reportedHere.has(i.id) && !submission.statistics.has(i.id)).map((i) => i.label);
  return [...submission.rollup.gaps, ...(blank.length ? [{ unit: '', reason: `未填${blank.join('、')}` }] : [])];
}

/** Indicators some merged department reported. */
export function reportedIndicators(statuses: readonly DepartmentStatus[]): Set<string> {
  return new Set(statuses.flatMap((s) => [...(submissionOf(s)?.statistics.keys() ?? [])]));
}

/**
 * Everything this level's figures leave out, departments in the campaign's order: those not
 * merged, then each merged one's own gaps under its name; files skipped last.
 */
export function levelGaps(campaign: Campaign, statuses: readonly DepartmentStatus[], skipped: readonly string[] = []): Gap[] {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const reported = reportedIndicators(statuses);
  const gaps: Gap[] = [];
  for (const d of campaign.departments) {
    const status = byId.get(d.id);
    if (!submissionOf(status)) gaps.push({ unit: d.name, reason: NOT_MERGED[status?.state ?? 'missing'] ?? '未报送' });
    else for (const g of departmentGaps(campaign, status!, reported)) gaps.push({ unit: underUnit(d.name, g.unit), reason: g.reason });
  }
  if (skipped.length) gaps.push({ unit: '', reason: `跳过未能归属的文件${skipped.join('、')}` });
  return gaps;
}
