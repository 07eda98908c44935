/**
 * Earlier rounds (last year's statistics table, the year before's …) as inputs: named in the
 * campaign (`previous:`, paths relative to the campaign file) or given as `--previous FILE`.
 * Each is a workbook read by the reader of a lower level's table (readEarlierRoundTable):
 * indicators found by label or alias, departments by normalised name and aliases, exactly as
 * a template's. What cannot be matched is listed (roundNotes), never guessed; a blank cell
 * stays blank (null), never 0.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import { ExitCode, ReportError } from '../diagnostics.js';
import { list, t } from '../messages/index.js';
import { readBytes } from '../source/read.js';
import { readEarlierRoundTable } from '../source/workbook.js';
import { cellAt, type Cell, type Sheet } from '../xlsx/cells.js';
import { MAX_INFLATED } from '../xlsx/cells.js';
import { cellAddress } from '../xlsx/refs.js';

/** One figure of an earlier round: null when the cell was blank. `cell` is 表!单元格. */
export interface PastFigure {
  value: number | null;
  cell: string;
}

/** A department's row in an earlier round's table. */
export interface PastRow {
  /** The name as the table writes it. */
  name: string;
  /** False when every figure of the row is blank (未报送 that round). */
  reported: boolean;
  figures: Map<string, PastFigure>;
}

export interface Round {
  /** How the round is called: 2023年. */
  period: string;
  /** The file as the user named it. */
  file: string;
  sheet: string;
  /** Campaign department id → its row, for the departments the table lists. */
  rows: Map<string, PastRow>;
  /** Indicator ids the table has a column for. */
  indicators: Set<string>;
  /** Indicator labels of this campaign the table has no column for. */
  unmatchedIndicators: string[];
  /** Names in the table's department rows that are no department of this campaign. */
  unknownNames: string[];
  /** Cells that hold something that is not a number (read as blank), said. */
  oddCells: string[];
}

/** Where a round's rows are looked up from this round's side. */
export const latestRound = (rounds: readonly Round[]): Round | undefined => rounds[0];

/**
 * The rounds to compare with: the campaign's `previous:` entries, then the `--previous` files
 * (the same file named twice is read once), newest period first. A file that cannot be read
 * or holds no statistics table ends the command (exit 2) with why.
 */
export function loadRounds(campaign: Campaign, campaignFile: string, given: readonly string[] = []): Round[] {
  const wanted: { path: string; shown: string; period?: string }[] = [];
  const seen = new Set<string>();
  const add = (path: string, shown: string, period?: string) => {
    const key = resolve(path);
    if (seen.has(key)) return;
    seen.add(key);
    wanted.push({ path, shown, ...(period !== undefined && { period }) });
  };
  for (const p of campaign.previous ?? []) add(resolve(dirname(campaignFile), p.file), p.file, p.period);
  // (previousFiles in load.ts resolves the same paths.)
  for (const file of given) add(file, file);
  const rounds = wanted.map((w) => readRound(campaign, w.path, w.shown, w.period));
  // Newest first when every period carries a year; else in the order given.
  const year = (r: Round) => Number(/(?:19|20)\d\d/.exec(r.period)?.[0] ?? NaN);
  if (rounds.every((r) => !Number.isNaN(year(r)))) rounds.sort((a, b) => year(b) - year(a));
  return rounds;
}

function readRound(campaign: Campaign, path: string, shown: string, period?: string): Round {
  if (!existsSync(path)) throw new ReportError('history/not-found', { file: shown }, ExitCode.usage);
  const read = readBytes(path, MAX_INFLATED, 'workbook/too-large');
  if (!read.bytes) throw new ReportError('history/unreadable', { file: shown, reason: read.failure?.message ?? '' }, ExitCode.usage);
  const found = readEarlierRoundTable(read.bytes, campaign);
  if ('code' in found) throw new ReportError('history/unreadable', { file: shown, reason: t(found.code, found.params) }, ExitCode.usage);
  const { sheet, layout } = found;
  const oddCells: string[] = [];
  const rows = new Map<string, PastRow>();
  for (const [id, row] of Object.entries(layout.departmentRows)) {
    const figures = new Map<string, PastFigure>();
    for (const [indicator, col] of Object.entries(layout.columns)) {
      const ref = `${sheet.name}!${cellAddress(row, col)}`;
      figures.set(indicator, { value: figureOf(cellAt(sheet, row, col), () => oddCells.push(ref)), cell: ref });
    }
    const nameCell = cellAt(sheet, row, layout.nameCol);
    rows.set(id, { name: typeof nameCell?.value === 'string' ? nameCell.value.trim() : id, reported: [...figures.values()].some((f) => f.value !== null), figures });
  }
  return {
    period: period ?? periodOf(shown, sheet, layout.headerRows[0]),
    file: shown,
    sheet: sheet.name,
    rows,
    indicators: new Set(Object.keys(layout.columns)),
    unmatchedIndicators: layout.unmatched.map((u) => u.label),
    unknownNames: layout.otherRows.filter((o) => o.reason === 'unknown' && o.name.trim()).map((o) => o.name.trim()),
    oddCells,
  };
}

/** Marks a hand-filled table uses for "no figure", and the notes merge writes in a figure cell of a table without 备注: read as blank. */
const NO_FIGURE = /^(?:[-－—–/／]+|无|空|未报送|报送有误|重复报送)$/u;

/** A cell's figure: a number, or numeric text (1,234); blank and the no-figure marks are null; anything else is null and said. */
function figureOf(cell: Cell | undefined, odd: () => void): number | null {
  if (!cell || cell.value === null) {
    if (cell?.error || cell?.uncalculated || cell?.picture) odd();
    return null;
  }
  if (typeof cell.value === 'number') return cell.value;
  if (typeof cell.value !== 'string') {
    odd();
    return null;
  }
  const text = cell.value.trim().replace(/[,，]/g, '');
  if (text === '' || NO_FIGURE.test(text)) return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  odd();
  return null;
}

/** A round's period when the campaign does not name it: the year in the file's name, else in the table's title, else the file's name. */
function periodOf(shown: string, sheet: Sheet, headerRow: number): string {
  const stem = basename(shown, extname(shown));
  const inName = /(?:19|20)\d\d/.exec(stem)?.[0];
  if (inName) return `${inName}年`;
  for (let r = 1; r < headerRow; r++)
    for (const cell of sheet.rows.get(r)?.values() ?? []) {
      const y = typeof cell.value === 'string' ? /(?:19|20)\d\d/.exec(cell.value)?.[0] : undefined;
      if (y) return `${y}年`;
    }
  return stem;
}

/** What the user should know of each round: where it is from, and what could not be matched (never guessed). */
export function roundNotes(rounds: readonly Round[], campaign: Campaign): string[] {
  const lines: string[] = [];
  for (const r of rounds) {
    const reported = [...r.rows.values()].filter((row) => row.reported).length;
    lines.push(t('history/round', { period: r.period, file: r.file, sheet: r.sheet, count: reported }));
    const absent = campaign.departments.filter((d) => !r.rows.has(d.id)).map((d) => d.name);
    const silent = campaign.departments.filter((d) => r.rows.has(d.id) && !r.rows.get(d.id)!.reported).map((d) => d.name);
    if (r.unknownNames.length) lines.push(t('history/unknown-names', { names: list(r.unknownNames) }));
    if (absent.length) lines.push(t('history/absent', { names: list(absent) }));
    if (silent.length) lines.push(t('history/silent', { names: list(silent) }));
    if (r.unmatchedIndicators.length) lines.push(t('history/unmatched-indicators', { labels: list(r.unmatchedIndicators) }));
    if (r.oddCells.length) lines.push(t('history/odd-cells', { cells: list(r.oddCells.slice(0, 20)), count: r.oddCells.length }));
  }
  return lines;
}
