/**
 * Stage two: small named rules over the typed data the schema made (schema.ts). Each looks
 * at one concern and reports at the path it concerns; the source's map places it. The rules
 * here see only the file's content; the ones that look outside it (materials, summary_file,
 * today's date) are in checkOutside, so a file's content can be checked once and its result kept.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { isWithin } from '../fs.js';
import type { Campaign, Department } from '../campaign/schema.js';
import { makeDiagnostic, type Diagnostic, type Position, type Severity } from '../diagnostics.js';
import type { MessageCode, MessageParams } from '../messages/index.js';
import type { Path } from '../source/source.js';
import type { SubmissionData } from './schema.js';
import { decodeText, readBytes } from '../source/read.js';
import { docxText, isDocx } from '../source/docx-text.js';
import { isPlausiblePhone } from '../text/values.js';
import { materialConcern } from './material-kind.js';

export interface RuleContext {
  campaign: Campaign;
  data: SubmissionData;
  /**
   * A finding about the value at `path`; it is placed at `at` when given (another value, or a
   * key: a missing task is reported at the `tasks:` key, a figure at the key it was typed under).
   */
  report(severity: Severity, code: MessageCode, params: MessageParams, path: Path, at?: { path: Path; part?: 'key' }): void;
  /** True when the schema found an error below this top-level key (a rule then need not add to it). */
  hasErrorAt?(key: string): boolean;
  /** True when the submission has this top-level key at all (even blank). */
  has?(key: string): boolean;
}

type Rule = (c: RuleContext) => void;

/** Where a figure was typed: under its id or its Chinese label. */
const figureAt = (c: RuleContext, id: string) => ({ path: ['statistics', c.data.statistics.get(id)?.key ?? id] });

/** Every figure must satisfy the campaign's cross-field rules (skipped when a side was not reported). */
const campaignRules: Rule = (c) => {
  for (const rule of c.campaign.rules) {
    const left = sumOf(rule.left, c.data);
    const right = sumOf(rule.right, c.data);
    if (left === undefined || right === undefined || compare(left, rule.op, right)) continue;
    const firstId = rule.left.split('+')[0]!.trim();
    const label = (expr: string) => expr.split('+').map((id) => c.campaign.indicators.find((i) => i.id === id.trim())?.label ?? id.trim()).join('+');
    c.report(rule.severity, 'rule/failed', {
      message: rule.message,
      left: label(rule.left),
      right: label(rule.right),
      leftValue: left,
      rightValue: right,
    }, ['statistics', firstId], figureAt(c, firstId));
  }
};

function sumOf(expression: string, data: SubmissionData): number | undefined {
  let total = 0;
  for (const term of expression.split('+').map((s) => s.trim())) {
    const value = /^\d/.test(term) ? Number(term) : data.statistics.get(term)?.value;
    if (value === undefined) return undefined;
    total += value;
  }
  return Math.round(total * 10000) / 10000;
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '<=': return a <= b;
    case '<': return a < b;
    case '>=': return a >= b;
    case '>': return a > b;
    case '==': return a === b;
    default: return a !== b;
  }
}

/** Figures past the campaign's plausibility bound: usually a unit typed wrong (元 for 万元). */
const plausibility: Rule = (c) => {
  for (const indicator of c.campaign.indicators) {
    const figure = c.data.statistics.get(indicator.id);
    if (figure && indicator.warn_above !== undefined && figure.value > indicator.warn_above)
      c.report('warning', 'value/implausible', { label: indicator.label, value: figure.value, unit: indicator.unit, limit: indicator.warn_above }, ['statistics', indicator.id], figureAt(c, indicator.id));
  }
};

const isResponsible = (department: Department, departments: 'all' | string[]) => departments === 'all' || departments.includes(department.id);

/** A department's own tasks need text; text for someone else's task is probably a wrong number. */
const taskCoverage: Rule = (c) => {
  const department = c.data.department;
  if (!department) return;
  for (const task of c.campaign.tasks) {
    const mine = isResponsible(department, task.departments);
    const given = c.data.tasks.get(task.no);
    // Tasks for 各有关单位 (all) are not everyone's duty to report on: only explicit assignments are chased.
    if (mine && task.departments !== 'all' && !given)
      c.report('warning', 'task/missing', { no: task.no, title: task.title }, ['tasks', task.no], { path: ['tasks'], part: 'key' });
    if (!mine && given) c.report('warning', 'task/not-responsible', { no: task.no, title: task.title }, ['tasks', task.no], { path: ['tasks', given.key], part: 'key' });
  }
};

const caseChecks: Rule = (c) => {
  const { start, end } = c.campaign.period;
  c.data.cases.forEach((value, i) => {
    const day = value.date?.slice(0, 10);
    if (day && (day < start || day > end))
      c.report('warning', 'value/date-outside', { key: `cases[${i + 1}].date`, value: day, start, end }, ['cases', i, 'date']);
  });
  const caseFines = Math.round(c.data.cases.reduce((sum, value) => sum + (value.fine ?? 0) * 10000, 0)) / 10000;
  const total = c.data.statistics.get('fines');
  if (total && caseFines > total.value) c.report('warning', 'rule/case-fines', { cases: caseFines, total: total.value }, ['statistics', 'fines'], figureAt(c, 'fines'));
};

const submissionDate: Rule = (c) => {
  // Without it, lateness can only be judged by the file's time, which copying changes.
  if (c.data.submittedAt === undefined) c.report('warning', 'value/submitted-at-missing', {}, ['submitted_at']);
  const day = c.data.submittedAt?.slice(0, 10);
  if (day && day < c.campaign.period.start)
    c.report('warning', 'value/date-before', { key: 'submitted_at', value: day, start: c.campaign.period.start }, ['submitted_at']);
};

const phoneFormat: Rule = (c) => {
  if (c.data.phone && !isPlausiblePhone(c.data.phone)) c.report('warning', 'value/phone', { value: c.data.phone }, ['phone']);
};

/**
 * Where a path written in the submission really leads. Absolute paths, `..` and
 * symbolic links that leave the submission's folder are refused: the bureau copies
 * the folder as a whole, and must not be pointed at other files on the PC.
 */
export function resolveBeside(file: string, written: string): { ok: true; path: string } | { ok: false; code: MessageCode } {
  if (isAbsolute(written) || /^[a-zA-Z]:/.test(written) || written.startsWith('\\\\')) return { ok: false, code: 'material/absolute' };
  const folder = resolve(dirname(file));
  const target = resolve(folder, written.replace(/\\/g, '/'));
  if (escapes(folder, target)) return { ok: false, code: 'material/outside' };
  if (!existsSync(target)) return { ok: false, code: 'material/missing' };
  try {
    if (escapes(realpathSync(folder), realpathSync(target))) return { ok: false, code: 'material/outside' };
    if (!statSync(target).isFile()) return { ok: false, code: 'material/not-file' };
  } catch {
    return { ok: false, code: 'material/missing' };
  }
  return { ok: true, path: target };
}

/** A material must lie below the submission's folder (the folder itself is no file). */
const escapes = (folder: string, target: string) => relative(folder, target) === '' || !isWithin(folder, target);

/** A deliverable the plan asks for: the summary, inline or in a file. */
const summaryGiven: Rule = (c) => {
  const { data } = c;
  if (!data.hasSummaryKey || (!data.summary && data.summaryFile === undefined)) c.report('warning', 'schema/summary-missing', {}, data.hasSummaryKey ? ['summary'] : []);
};

/** Rules in the order their findings read best. */
/**
 * Not one figure in the statistics (an empty `statistics:`, every line blank): the department's
 * row will be blank — 未报送, never 0. Said, so a clerk who meant 0 writes it.
 */
const someFigure: Rule = (c) => {
  if (c.data.statistics.size === 0 && c.has?.('statistics') && !c.hasErrorAt?.('statistics')) c.report('warning', 'statistics/none', {}, ['statistics'], { path: ['statistics'], part: 'key' });
};

const RULES: Rule[] = [taskCoverage, campaignRules, plausibility, caseChecks, submissionDate, phoneFormat, summaryGiven, someFigure];

export function runRules(c: RuleContext): void {
  for (const rule of RULES) rule(c);
}

/** What the file's text says about things outside it, with the positions to report at. */
export interface OutsideRefs {
  materials: { value: string; at: Position }[];
  summaryFile?: { path: string; at: Position };
  /** `key`: what the source calls it (submitted_at, or a workbook's 报送日期). */
  submittedAt?: { value: string; at: Position; key?: string };
}

/** The summary file is checked like a material, but named as what it is. */
const SUMMARY_FILE_CODES: Partial<Record<MessageCode, MessageCode>> = {
  'material/absolute': 'summary-file/absolute',
  'material/outside': 'summary-file/outside',
  'material/missing': 'summary-file/missing',
  'material/not-file': 'summary-file/missing',
};

/**
 * The checks that look outside the file's text: materials on disk, the summary file's
 * text, and a submission date later than today. Returns their findings and the summary
 * file's text, with the size and SHA-256 of the bytes it was read from.
 */
export function checkOutside(refs: OutsideRefs, file: string, now: Date): { diagnostics: Diagnostic[]; summary?: { text: string; size: number; sha256: string } } {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Severity, code: MessageCode, params: MessageParams, at: Position) => diagnostics.push(makeDiagnostic(severity, code, params, at));
  for (const { value, at } of refs.materials) {
    const where = resolveBeside(file, value);
    if (!where.ok) report('error', where.code, { value }, at);
    else {
      // What it really is: an executable is never sent upward; an empty or misnamed picture is said.
      const concern = materialConcern(where.path, value);
      if (concern) report(concern.severity, concern.code, concern.params, at);
    }
  }
  if (refs.submittedAt) {
    const day = refs.submittedAt.value.slice(0, 10);
    const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    if (day > today) report('warning', 'value/date-future', { key: refs.submittedAt.key ?? 'submitted_at', value: day }, refs.submittedAt.at);
  }
  if (!refs.summaryFile) return { diagnostics };
  const { path, at } = refs.summaryFile;
  const where = resolveBeside(file, path);
  if (!where.ok) {
    report('error', SUMMARY_FILE_CODES[where.code] ?? where.code, { value: path }, at);
    return { diagnostics };
  }
  // Read as readTextFile reads, keeping the size: the manifest lists the bytes that were checked.
  const { bytes, sha256, failure } = readBytes(where.path);
  // A 总结 written in Word: its paragraphs' text.
  if (bytes && isDocx(path)) {
    try {
      return { diagnostics, summary: { text: docxText(bytes).trim(), size: bytes.length, sha256: sha256! } };
    } catch {
      report('error', 'summary-file/not-docx', { value: path }, at);
      return { diagnostics };
    }
  }
  const decoded = bytes && decodeText(bytes);
  if (decoded && !('severity' in decoded)) return { diagnostics, summary: { text: decoded.text.trim(), size: bytes!.length, sha256: sha256! } };
  report('error', 'file/summary-unreadable', { value: path, reason: (decoded ?? failure)?.message ?? '' }, at);
  return { diagnostics };
}
