/**
 * Figures far from history, as warnings at the figure's line or cell (DHIS2's outlier
 * detection, for a table of departments):
 * - a figure more than `ratio` times its department's figure of the latest earlier round that
 *   has one, or less than 1/ratio of it, when the larger is at least `floor` (1 → 12 is no slip);
 * - a 金额 about ×10,000 or ÷10,000 of it: 元 typed for 万元, or 万元 divided again;
 * - with at least `min_departments` departments reporting the indicator this round, a figure
 *   `z` standard deviations or more from their mean.
 * Each says the earlier figure and where it came from (file, sheet!cell). Pure.
 */
import type { Campaign, HistorySettings, Indicator } from '../campaign/schema.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import type { CheckedFile } from '../model.js';
import { t } from '../messages/index.js';
import type { Round } from './rounds.js';

export const HISTORY_DEFAULTS: HistorySettings = { ratio: 10, floor: 20, z: 3, min_departments: 10 };

/** Codes of the warnings made here: status counts the files that carry them. */
export const HISTORY_CODES = new Set(['history/ratio-up', 'history/ratio-down', 'history/unit-slip-up', 'history/unit-slip-down', 'history/outlier']);

/** A department's figure in the latest earlier round that has one. */
export function pastFigure(rounds: readonly Round[], department: string, indicator: string): { value: number; round: Round; cell: string } | undefined {
  for (const round of rounds) {
    const f = round.rows.get(department)?.figures.get(indicator);
    if (f && f.value !== null) return { value: f.value, round, cell: f.cell };
  }
  return undefined;
}

const num = (n: number) => String(Math.round(n * 10000) / 10000);

/** Adds the warnings against history to each valid file's diagnostics (in place). */
export function addHistoryWarnings(files: readonly CheckedFile[], rounds: readonly Round[], campaign: Campaign): void {
  const s = { ...HISTORY_DEFAULTS, ...campaign.history };
  // This round's figures per indicator, one per department (a duplicated department counts once).
  const peers = new Map<string, Map<string, number>>();
  for (const f of files)
    for (const [id, fig] of Object.entries(f.brief?.figures ?? {}))
      if (f.department) (peers.get(id) ?? peers.set(id, new Map()).get(id)!).set(f.department, fig.value);
  for (const file of files) {
    const figures = file.brief?.figures;
    if (!figures || !file.department) continue;
    const found: Diagnostic[] = [];
    for (const ind of campaign.indicators) {
      const fig = figures[ind.id];
      if (!fig) continue;
      const past = pastFigure(rounds, file.department, ind.id);
      const params = { label: ind.label, value: num(fig.value), unit: ind.unit, ...(past && { previous: num(past.value), period: past.round.period, source: `${past.round.file} ${past.cell}` }) };
      const at = { ...fig.at, path: ['statistics', ind.id] };
      const code = past && againstPast(ind, fig.value, past.value, s);
      if (code && past) {
        const times = fig.value >= past.value ? fig.value / past.value : past.value / fig.value;
        found.push(makeDiagnostic('warning', code, { ...params, ratio: s.ratio, times: Number.isFinite(times) ? String(Math.round(times * 10) / 10) : '∞' }, at));
      }
      const outlier = outlierOf(peers.get(ind.id), fig.value, s);
      if (outlier)
        found.push(makeDiagnostic('warning', 'history/outlier', {
          ...params, ...outlier,
          past: past ? t('history/outlier-past', { period: past.round.period, previous: num(past.value), unit: ind.unit, source: `${past.round.file} ${past.cell}` }) : t('history/outlier-no-past'),
        }, at));
    }
    if (found.length) file.diagnostics.push(...found);
  }
}

/** Which warning a figure gets against its department's earlier figure, if any. */
function againstPast(ind: Indicator, value: number, past: number, s: HistorySettings) {
  if (past <= 0) return undefined;
  const ratio = value / past;
  // 10^3.5 … 10^4.5: the ×10,000 of 元 for 万元, give or take a year's change.
  if (ind.kind === 'amount' && value > 0) {
    const power = Math.log10(ratio);
    if (power >= 3.5 && power <= 4.5) return 'history/unit-slip-up' as const;
    if (power <= -3.5 && power >= -4.5) return 'history/unit-slip-down' as const;
  }
  if (Math.max(value, past) < s.floor) return undefined;
  if (ratio > s.ratio) return 'history/ratio-up' as const;
  if (ratio < 1 / s.ratio) return 'history/ratio-down' as const;
  return undefined;
}

/** How far a figure is from this round's departments', when enough of them reported it. */
function outlierOf(peers: Map<string, number> | undefined, value: number, s: HistorySettings): { count: number; mean: string; z: string } | undefined {
  if (!peers || peers.size < s.min_departments) return undefined;
  const values = [...peers.values()];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  if (sd === 0) return undefined;
  const z = (value - mean) / sd;
  return Math.abs(z) >= s.z ? { count: values.length, mean: num(Math.round(mean * 100) / 100), z: (Math.round(z * 10) / 10).toFixed(1) } : undefined;
}

/** Files that carry warnings against history, with how many; `amongPeers` when one compares with the other files (z-score). */
export function filesWithHistoryWarnings(files: readonly CheckedFile[]): { file: string; department?: string; count: number; amongPeers: boolean }[] {
  return files
    .map((f) => {
      const found = f.diagnostics.filter((d) => HISTORY_CODES.has(d.code));
      return { file: f.file, ...(f.department && { department: f.department }), count: found.length, amongPeers: found.some((d) => d.code === 'history/outlier') };
    })
    .filter((f) => f.count > 0);
}
