/** Who is in, who is late, whose file is broken: pure, given the files and "now". */
import { basename, extname } from 'node:path';
import type { Campaign, Task } from '../campaign/schema.js';
import type { CheckedFile, DepartmentState, DepartmentStatus } from '../model.js';
import { departmentFinder, departmentNamedIn } from '../campaign/lookup.js';
import { t } from '../messages/index.js';
import { beijingInstant, isoDateBeijing } from './time.js';

export interface UnknownFile {
  file: string;
  /**
   * not-yaml: not a submission file at all; not-submission: YAML but not a submission;
   * unknown-department: a submission whose department cannot be told; unreadable: cannot be
   * opened or read; in-subfolder: a submission file below the folder, not checked; package: a
   * lower level's package folder that no unit's merged table claims (packageOwner).
   */
  reason: 'not-yaml' | 'not-submission' | 'unknown-department' | 'unreadable' | 'in-subfolder' | 'package';
  /** Why, in the user's language (the OS error of an unreadable file). */
  detail?: string;
}

/** Files that may be a department's submission but cannot be counted: merge stops for them (unless told to go on). */
export const isUnattributable = (f: UnknownFile) => f.reason === 'unknown-department' || f.reason === 'unreadable' || f.reason === 'in-subfolder';

export interface StatusReport {
  campaign: string;
  deadline: string;
  asOf: string;
  /** Negative once the deadline has passed. */
  remainingMs: number;
  departments: DepartmentStatus[];
  unknownFiles: UnknownFile[];
  /** Tasks that none of their responsible departments has written about yet. */
  uncoveredTasks: { no: number; category: string; title: string; departments: string[] }[];
  counts: Record<DepartmentState, number>;
}

/**
 * The department a file claims: from the checked content, else (for a file too
 * broken to read) from a `department:` line or the file's name, so a broken file
 * shows as that department's 有错误 rather than as 未报送.
 */
export function claimedDepartment(file: CheckedFile, campaign: Campaign): string | undefined {
  if (file.department) return file.department;
  const find = departmentFinder(campaign);
  const line = file.source ? /^department\s*[:：]\s*['"]?([^'"#\r\n]+)/m.exec(file.source) : null;
  const byLine = line ? find(line[1]!.trim()) : undefined;
  if (byLine) return byLine.id;
  return find(basename(file.file).replace(/\.[^.]*$/, ''))?.id;
}

/** When a valid file says it was sent (or its mtime, when it does not say), in epoch milliseconds. */
function sentAt(file: CheckedFile, nowMs: number): { atMs?: number; shown?: string; source: 'file' | 'mtime' | 'unknown'; doubt?: string } {
  const written = file.brief?.submittedAt;
  const writtenMs = written ? beijingInstant(written).getTime() : undefined;
  // A date later than the moment of the count cannot be right: it is shown as doubtful, and the
  // file's time (if it is earlier) says when it came.
  if (written && writtenMs !== undefined && writtenMs <= nowMs) return { atMs: writtenMs, shown: written, source: 'file' };
  const doubt = written ? { doubt: written } : {};
  // The mtime as the file system keeps it, finer than a millisecond: a Date would cut it to
  // the millisecond, and a file saved 0.9 ms after the deadline would count as on time.
  if (file.mtimeMs !== undefined && file.mtimeMs <= nowMs) return { atMs: file.mtimeMs, shown: isoDateBeijing(file.mtimeMs), source: 'mtime', ...doubt };
  return { source: 'unknown', ...doubt };
}

export function computeStatus(campaign: Campaign, files: CheckedFile[], others: readonly UnknownFile[], now: Date): StatusReport {
  const deadline = new Date(campaign.deadline);
  const byDepartment = new Map<string, CheckedFile[]>();
  // A summary file named by a submission (even a broken one) belongs to it and is not a stray file.
  const referenced = new Set(files.map((f) => f.summaryFile?.replace(/\\/g, '/').replace(/^\.\//, '')));
  const unknownFiles: UnknownFile[] = others.filter((other) => !referenced.has(other.file));
  for (const file of files) {
    const id = claimedDepartment(file, campaign);
    if (id) byDepartment.set(id, [...(byDepartment.get(id) ?? []), file]);
    else unknownFiles.push(unattributed(file));
  }
  // A lower level's package beside its table is that unit's materials (pack takes them); one no unit's table claims is listed.
  const sent = campaign.departments.filter((d) => byDepartment.get(d.id)?.length === 1 && byDepartment.get(d.id)![0]!.brief?.merged);
  for (let i = unknownFiles.length - 1; i >= 0; i--) if (unknownFiles[i]!.reason === 'package' && packageOwner(unknownFiles[i]!.file, sent)) unknownFiles.splice(i, 1);
  const counts: Record<DepartmentState, number> = { submitted: 0, late: 0, invalid: 0, duplicate: 0, missing: 0 };
  const departments = campaign.departments.map((d): DepartmentStatus => {
    const claimed = byDepartment.get(d.id) ?? [];
    const status: DepartmentStatus = { id: d.id, name: d.name, state: 'missing', files: claimed.map((f) => f.file), contact: d.contact };
    if (claimed.length > 1) status.state = 'duplicate';
    else if (claimed.length === 1) {
      const file = claimed[0]!;
      status.checked = file;
      if (!file.ok || !file.brief) {
        status.state = 'invalid';
        status.errorCount = file.diagnostics.filter((x) => x.severity === 'error').length;
      } else {
        const sent = sentAt(file, now.getTime());
        // Late only when a time that can be right is after the deadline; a time not known is not 逾期.
        status.state = sent.atMs !== undefined && sent.atMs > deadline.getTime() ? 'late' : 'submitted';
        if (sent.shown) status.submittedAt = sent.shown;
        status.submittedAtSource = sent.source;
        if (sent.doubt) status.submittedAtDoubt = sent.doubt;
        status.filledBy = file.brief.filledBy;
        status.phone = file.brief.phone;
        if (file.brief.gaps?.length) status.gaps = file.brief.gaps;
      }
    }
    counts[status.state]++;
    return status;
  });
  // A file of another format named after a department that has not reported (区林业局.docx, .ods, .csv) is
  // probably its submission: never left out in silence, so merge stops for it as for any file it cannot count.
  const missing = new Set(departments.filter((d) => d.state === 'missing').map((d) => d.id));
  for (const [i, other] of unknownFiles.entries()) {
    const named = other.reason === 'not-yaml' ? departmentNamedIn(campaign, basename(other.file, extname(other.file))) : undefined;
    if (named && missing.has(named.id)) unknownFiles[i] = { file: other.file, reason: 'unreadable', detail: t('file/not-a-submission-format', { department: named.name }) };
  }
  return {
    campaign: campaign.title,
    deadline: campaign.deadline,
    asOf: now.toISOString(),
    remainingMs: deadline.getTime() - now.getTime(),
    departments,
    unknownFiles,
    uncoveredTasks: findUncoveredTasks(campaign, departments),
    counts,
  };
}

/** Findings that mean the file was not read as a submission at all. */
const UNREADABLE = new Set<string>([
  'file/unreadable', 'file/not-regular', 'file/too-large', 'file/binary', 'file/workbook-named-yaml', 'file/word-document', 'file/office-legacy',
  'workbook/legacy', 'workbook/encrypted', 'workbook/damaged', 'workbook/not-a-workbook', 'workbook/no-sheets', 'workbook/too-large',
  'workbook/too-large-inside', 'workbook/ods', 'workbook/text-named-xlsx', 'workbook/cell-out-of-range', 'workbook/unknown-layout',
]);

/** Why a checked file counts for no department. */
function unattributed(file: CheckedFile): UnknownFile {
  // A file that could not be read as a submission at all (an .xls, an .ods, a damaged workbook) is said so, not taken for a missing 填报单位.
  const failure = file.diagnostics.find((d) => UNREADABLE.has(d.code));
  if (failure) return { file: file.file, reason: 'unreadable', detail: failure.message };
  return { file: file.file, reason: file.isForeign ? 'not-submission' : 'unknown-department' };
}

/** Tasks with no text from any responsible department that is in (any department, for 各有关单位). */
function findUncoveredTasks(campaign: Campaign, departments: DepartmentStatus[]): StatusReport['uncoveredTasks'] {
  const names = new Map(campaign.departments.map((d) => [d.id, d.name]));
  const wrote = (task: Task) =>
    departments.some(
      (d) => (task.departments === 'all' || task.departments.includes(d.id)) && d.checked?.brief?.tasks.includes(task.no),
    );
  return campaign.tasks
    .filter((task) => !wrote(task))
    .map((task) => ({
      no: task.no,
      category: task.category,
      title: task.title,
      departments: task.departments === 'all' ? [t('ui/all-departments')] : task.departments.map((id) => names.get(id) ?? id),
    }));
}

/** True when every department is in (逾期报送 counts as in). */
export const isComplete = (report: StatusReport) => report.departments.every((d) => d.state === 'submitted' || d.state === 'late');

/**
 * The unit whose package a folder is (a lower level's `report pack` folder beside its table):
 * the one whose name its name holds (the longest, so 黄山区 is not taken for 黄山); none when
 * no unit's name is in it.
 */
export function packageOwner<T extends { name: string }>(folder: string, units: readonly T[]): T | undefined {
  const name = basename(folder.replace(/[\\/]+$/, ''));
  return units.filter((u) => name.includes(u.name)).sort((a, b) => b.name.length - a.name.length)[0];
}
