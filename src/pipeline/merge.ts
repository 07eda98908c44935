/**
 * What `merge` and `pack` share: where the output may go, which submissions may be merged
 * (the refusals), the 填报日期, and the workbook itself. Commands call this core, never each
 * other. exceljs is imported only when the workbook is written.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packagePath } from '../paths.js';
import type { Campaign, Department } from '../campaign/schema.js';
import { ExitCode } from '../diagnostics.js';
import { isSameFile, isWithin, realOrSelf, safeFileName, shownPath } from '../fs.js';
import { t } from '../messages/index.js';
import type { DepartmentStatus } from '../model.js';
import { computeStatus, isUnattributable, type StatusReport, type UnknownFile } from '../status/status.js';
import { isoDateBeijing, parseAsOf } from '../status/time.js';
import { DEFAULT_DIR, gatherFolder } from './folder.js';
import type { Emit } from './events.js';
import { checkFiles } from '../submission/load.js';
import type { MergeWriteResult, PreparedTemplate } from '../template/write.js';
import type { Comparison } from '../history/compare.js';
import type { Round } from '../history/rounds.js';
import type { OwnUnit } from '../template/plan.js';

const TEMPLATES = packagePath('templates');

/** Submissions that may be merged: every present one valid and claimed once. */
export interface MergeReady {
  /** Files that could be a department's but count for none, left out on the user's word (--skip-unknown). */
  skipped: UnknownFile[];
  campaign: Campaign;
  now: Date;
  dir: string;
  report: StatusReport;
  /** Departments that have not reported (merged as 未报送). */
  missing: DepartmentStatus[];
  /** YYYY-MM-DD: --as-of, else the latest submission's date (see fillDate). */
  fillDate: string;
  /** Earlier rounds, newest first (empty when none). */
  rounds: Round[];
}

/**
 * The merged workbook's path: `--out` (with the .xlsx it lacks: Excel opens nothing else), or
 * out/《table title》.xlsx, the title made safe as one file name.
 */
export function workbookPath(given: string | undefined, campaign: Campaign): string {
  if (given === undefined) return resolve('out', `${safeFileName(campaign.table_title)}.xlsx`);
  return resolve(/\.xlsx$/i.test(given) ? given : `${given}.xlsx`);
}

/**
 * Refuses an output (file or folder) inside the submissions folder, one that is an input
 * (the template, the campaign: by real path and by inode, so no link or other spelling gets
 * through, with or without `force`), or one that exists without `force`. Says why and
 * returns the exit code; undefined when the output may be written.
 */
export function refuseOutput(out: string, dir: string, force: boolean | undefined, emit: Emit, inputs: readonly (string | undefined)[] = []): ExitCode | undefined {
  if (isWithin(realOrSelf(resolve(dir)), realOrSelf(dirname(out)))) {
    emit({ type: 'refused', code: 'usage/output-in-submissions', params: { dir } });
    return ExitCode.usage;
  }
  const input = inputs.find((file) => file !== undefined && isSameFile(out, file));
  if (input !== undefined) {
    emit({ type: 'refused', code: 'usage/output-is-input', params: { file: shownPath(out), input: shownPath(input) } });
    return ExitCode.usage;
  }
  return refuseExisting(out, force, emit);
}

/**
 * Refuses a --template that is not there, before anything about the output: the clerk would
 * otherwise add --force for an output in the way only to learn then that the template is missing.
 */
export function refuseMissingTemplate(template: string | undefined, emit: Emit): ExitCode | undefined {
  if (template === undefined || existsSync(template)) return undefined;
  emit({ type: 'refused', code: 'file/not-found', params: { path: template } });
  return ExitCode.usage;
}

/** Refuses an output that exists, unless `force`: says why and returns the exit code; undefined when it may be written. */
export function refuseExisting(out: string, force: boolean | undefined, emit: Emit): ExitCode | undefined {
  if (!existsSync(out) || force) return undefined;
  emit({ type: 'refused', code: 'usage/output-exists', params: { file: shownPath(out) } });
  return ExitCode.usage;
}

/**
 * Reads the folder and applies merge's refusals: nothing is merged while a present
 * submission is broken or claimed twice; missing departments are named (and refused with
 * `strict`). Problems are events; an exit code is returned instead of a MergeReady.
 */
export async function readyToMerge(
  options: { dir?: string; asOf?: string; strict?: boolean; skipUnknown?: boolean; campaign?: string; previous?: string[] },
  campaign: Campaign,
  emit: Emit,
  rounds?: Round[],
): Promise<MergeReady | ExitCode> {
  const dir = options.dir ?? DEFAULT_DIR;
  const gathered = await gatherFolder({ ...options, dir }, emit, { campaign, ...(rounds && { rounds }) });
  if (typeof gathered === 'number') return gathered;
  const { report, now } = gathered;

  // A file that may be a department's but counts for none would go missing from the table unseen.
  const skipped = report.unknownFiles.filter(isUnattributable);
  if (skipped.length) {
    emit({ type: 'unattributed', files: skipped, dir, skipped: Boolean(options.skipUnknown) });
    if (!options.skipUnknown) return ExitCode.findings;
  }

  const blocked = report.departments.filter((d) => d.state === 'invalid' || d.state === 'duplicate');
  if (blocked.length) {
    emit({ type: 'blocked', departments: blocked });
    return ExitCode.findings;
  }
  const missing = report.departments.filter((d) => d.state === 'missing');
  if (missing.length) {
    emit({ type: 'missing', departments: missing, strict: Boolean(options.strict) });
    if (options.strict) return ExitCode.findings;
  }
  const warned = gathered.files.filter((f) => f.diagnostics.some((d) => d.code.startsWith('history/'))).length;
  if (warned) emit({ type: 'history-warnings', count: warned });
  return { campaign, now, dir, report, missing, skipped, fillDate: fillDate(report.departments, options.asOf ? now : undefined, campaign.deadline), rounds: gathered.rounds };
}

/**
 * One department's own submission, ready to merge into its own package: the file must
 * check without errors. The campaign comes back narrowed to that department (its table has
 * one row) and to the tasks it is responsible for, wrote about or has cases under; a task
 * of someone else's it mentions is shown as 各有关单位's (the narrowed campaign has no other names).
 */
export async function readyOwnSubmission(
  file: string,
  options: { asOf?: string },
  campaign: Campaign,
  emit: Emit,
): Promise<(MergeReady & { department: Department }) | ExitCode> {
  const now = options.asOf === undefined ? new Date() : parseAsOf(options.asOf);
  if (!now) {
    emit({ type: 'refused', code: 'usage/as-of', params: { value: options.asOf ?? '' } });
    return ExitCode.usage;
  }
  const [checked] = await checkFiles([{ path: file, shownAs: file }], campaign, { withSubmissions: true });
  if (!checked) throw new Error('no result for one file');
  const department = campaign.departments.find((d) => d.id === checked.department);
  if (!checked.ok || !checked.submission) {
    emit({ type: 'own-refused', file, checked, reason: checked.isForeign || (checked.ok && !department) ? 'pack/own-foreign' : 'pack/own-invalid' });
    return ExitCode.findings;
  }
  if (!department) {
    emit({ type: 'own-refused', file, reason: 'pack/own-foreign' });
    return ExitCode.findings;
  }
  const mentioned = new Set([...checked.submission.tasks.keys(), ...checked.submission.cases.map((c) => c.task)]);
  const own: Campaign = {
    ...campaign,
    departments: [department],
    tasks: campaign.tasks
      .filter((task) => task.departments === 'all' || task.departments.includes(department.id) || mentioned.has(task.no))
      .map((task) => ({ ...task, departments: task.departments !== 'all' && task.departments.includes(department.id) ? [department.id] : 'all' })),
  };
  const report = computeStatus(own, [checked], [], now);
  return {
    campaign: own,
    now,
    dir: dirname(resolve(file)),
    report,
    missing: [],
    skipped: [],
    fillDate: fillDate(report.departments, options.asOf ? now : undefined, campaign.deadline),
    rounds: [],
    department,
  };
}

/** The template to fill: --template, else the campaign's bundled one, else none (the default is built). */
export function templateFor(campaign: Campaign, given: string | undefined): string | undefined {
  const bundled = join(TEMPLATES, `${campaign.id}.xlsx`);
  return given ?? (existsSync(bundled) ? bundled : undefined);
}

/**
 * The template made ready (read, opened, its table found) — started before the folder is
 * read, so the two go on at once; it settles when the workbook is written. A failure is
 * kept until then (never an unhandled rejection).
 */
export function prepareWorkbook(campaign: Campaign, template: { path: string | undefined; shown?: string | undefined }, comparedWith?: string): Promise<PreparedTemplate> {
  const prepared = import('../template/write.js').then(({ prepareTemplate }) => prepareTemplate(campaign, template.path, template.shown ?? (template.path && shownPath(template.path)), comparedWith));
  prepared.catch(() => undefined);
  return prepared;
}

/** Writes the merged workbook to `out` (atomically), saying how many rows are written as it goes. */
export async function writeMerge(
  input: { campaign: Campaign; statuses: DepartmentStatus[]; fillDate: string; skipped?: readonly UnknownFile[]; comparison?: Comparison; unit?: OwnUnit; attachmentMark?: string },
  out: string,
  prepared: Promise<PreparedTemplate>,
  force: boolean | undefined,
  emit: Emit,
): Promise<MergeWriteResult> {
  const { writeMergedWorkbook } = await import('../template/write.js');
  return writeMergedWorkbook({
    ...input,
    outPath: out,
    onRows: (done) => emit({ type: 'progress', code: 'ui/progress-rows', params: { done } }),
    ...(force && { force: true }),
    prepared,
    skipped: (input.skipped ?? []).map((f) => f.file),
  }).finally(() => emit({ type: 'progress-done' }));
}

/**
 * What the fill says about the template (a conversion, rows kept or added, no 合计 row) and,
 * for a template with a protected structure, where the second workbook is: `secondFile` as
 * the user will find it (pack's is in the package folder, not where it was built).
 */
export function mergeNotes(result: MergeWriteResult, secondFile = result.secondFile): string[] {
  return [...result.notes, ...(secondFile ? [t('merge/second-file', { file: shownPath(secondFile) })] : [])];
}

/** The 填报日期: --as-of, else the latest submission's date, so the same inputs give the same bytes. */
export function fillDate(statuses: { submittedAt?: string }[], asOf: Date | undefined, deadline: string): string {
  if (asOf) return isoDateBeijing(asOf);
  const dates = statuses.map((s) => s.submittedAt?.slice(0, 10)).filter((d): d is string => Boolean(d)).sort();
  return dates.at(-1) ?? isoDateBeijing(deadline);
}
