/**
 * 同比: this round beside the latest earlier round, per indicator, per department and in
 * total — what the 同比 sheet, the 总结's sentences and the chart all show. A figure blank in
 * either round gives no 同比 and says why; the total compares only the departments with the
 * figure in both rounds, and names every department left out (never a silent comparison). Pure.
 */
import type { Campaign, Indicator } from '../campaign/schema.js';
import { submissionOf, type DepartmentStatus } from '../model.js';
import type { Round } from './rounds.js';

/** Why a department's figure has no 同比 (the 说明 of the sheet, and the 总结's words). */
export type Gap = 'not-sent' | 'blank' | 'past-absent' | 'past-not-sent' | 'past-blank' | 'past-no-column';

export const GAP_TEXT: Record<Gap, string> = {
  'not-sent': '本期未报送',
  blank: '本期未填',
  'past-absent': '上期表中无此单位',
  'past-not-sent': '上期未报送',
  'past-blank': '上期未填',
  'past-no-column': '上期表中无此指标',
};

export interface Change {
  now: number;
  past: number;
  change: number;
  /** Percent, one decimal; undefined when the past figure is 0. */
  percent?: number;
}

export interface DepartmentLine {
  id: string;
  name: string;
  /** This round's figure; undefined when not sent or blank. */
  now?: number;
  /** The earlier round's figure; undefined when there is none. */
  past?: number;
  /** Both figures there: the change. */
  change?: Change;
  /** Why there is no change: this round's side, the earlier round's side (either or both). */
  gaps: Gap[];
  /** The earlier figure's cell (表!单元格), for the 说明. */
  cell?: string;
}

export interface IndicatorComparison {
  indicator: Indicator;
  departments: DepartmentLine[];
  /** Over the departments with the figure in both rounds; undefined when there are none. */
  total?: Change;
  /** Departments in the total. */
  included: string[];
  /** Departments with the figure in one round only: left out of the total, with why. */
  excluded: { name: string; gap: Gap }[];
}

export interface Comparison {
  period: string;
  file: string;
  indicators: IndicatorComparison[];
}

/** Sums as written: amounts to four decimals, without binary noise. */
const round4 = (n: number) => Math.round(n * 10000) / 10000;

export function changeOf(now: number, past: number): Change {
  const change = round4(now - past);
  return { now: round4(now), past: round4(past), change, ...(past !== 0 && { percent: Math.round(((now - past) / past) * 1000) / 10 }) };
}

/** This round (the statuses) beside `round`, for every indicator of the campaign, departments in campaign order. */
export function compareRounds(campaign: Campaign, statuses: readonly DepartmentStatus[], round: Round): Comparison {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  const indicators = campaign.indicators.map((indicator): IndicatorComparison => {
    const departments = campaign.departments.map((d): DepartmentLine => {
      const submission = submissionOf(byId.get(d.id));
      const row = round.rows.get(d.id);
      const fig = row?.figures.get(indicator.id);
      const now = submission?.statistics.get(indicator.id);
      const past = row?.reported && fig?.value !== null ? fig?.value : undefined;
      const line: DepartmentLine = { id: d.id, name: d.name, gaps: [], ...(now !== undefined && { now }), ...(past !== undefined && past !== null && { past }), ...(fig && { cell: fig.cell }) };
      if (!submission) line.gaps.push('not-sent');
      else if (now === undefined) line.gaps.push('blank');
      if (!round.indicators.has(indicator.id)) line.gaps.push('past-no-column');
      else if (!row) line.gaps.push('past-absent');
      else if (!row.reported) line.gaps.push('past-not-sent');
      else if (fig?.value === null || fig === undefined) line.gaps.push('past-blank');
      if (!line.gaps.length && now !== undefined && fig && fig.value !== null) line.change = changeOf(now, fig.value);
      return line;
    });
    const both = departments.filter((l) => l.change);
    // A department with the figure in one round only would make the two totals different sets.
    const excluded = departments.filter((l) => !l.change && (l.now !== undefined || l.past !== undefined)).map((l) => ({ name: l.name, gap: l.gaps[0]! }));
    const result: IndicatorComparison = { indicator, departments, included: both.map((l) => l.name), excluded };
    if (both.length)
      result.total = changeOf(
        both.reduce((sum, l) => sum + l.change!.now, 0),
        both.reduce((sum, l) => sum + l.change!.past, 0),
      );
    return result;
  });
  return { period: round.period, file: round.file, indicators };
}
