/** `report validate <file...>`: the department's check before sending. */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadCampaign } from '../source/campaign.js';
import { ExitCode, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { osReason, printable, t } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import { countBySeverity, formatDiagnostics } from '../reporters/diagnostics.js';
import { paint } from '../reporters/style.js';
import { checkFiles, listSubmissionFiles } from '../submission/load.js';
import { firstFileName } from '../layout/merged.js';
import { progress, type Io } from '../io.js';
import { historyFor } from '../history/load.js';

export interface ValidateOptions {
  files: string[];
  json?: boolean;
  strict?: boolean;
  campaign?: string;
  previous?: string[];
}

/** The `--json` shape. */
export interface ValidateReport {
  files: { file: string; department: string | null; ok: boolean; diagnostics: Diagnostic[] }[];
}

export async function validate(options: ValidateOptions, io: Io): Promise<ExitCode> {
  if (options.files.length === 0) {
    io.stderr(t('usage/no-files'));
    return ExitCode.usage;
  }
  const campaign = await loadCampaign(options.campaign);
  // Paths to check, in the order given (a folder's submissions in name order); unreadable paths are reported in place.
  type Path = { path: string; shownAs: string; raw?: Buffer };
  const slots: (Path | CheckedFile)[] = [];
  let usageProblem = false;
  const refuse = (file: string, diagnostic: Diagnostic) => {
    usageProblem = true;
    slots.push({ file, ok: false, diagnostics: [diagnostic] });
  };
  for (const arg of options.files) {
    const info = await stat(arg).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      refuse(arg, info.code === 'ENOENT' ? makeDiagnostic('error', 'file/not-found', { path: arg }) : makeDiagnostic('error', 'file/unreadable', { reason: osReason(info) }));
    } else if (info.isDirectory()) {
      const listed = await listSubmissionFiles(arg).catch((error: unknown) => makeDiagnostic('error', 'usage/folder-unreadable', { path: arg, reason: osReason(error) }));
      if ('severity' in listed) refuse(arg, listed);
      // A folder without submissions is a wrong path, not a clean result.
      else if (listed.candidates.length === 0) refuse(arg, makeDiagnostic('error', 'file/no-submissions', { path: arg }));
      else slots.push(...listed.candidates.map((c) => ({ path: join(arg, c.name), shownAs: join(arg, c.name), ...(c.raw && { raw: c.raw }) })));
    } else slots.push({ path: arg, shownAs: arg });
  }
  // A merged table's second workbook given with its table (a *.xlsx wildcard) is read with the table.
  const given = new Set(slots.map((s) => ('path' in s ? resolve(s.path) : '')));
  const withItsTable = (p: Path) => {
    const first = firstFileName(basename(p.path));
    return first !== undefined && given.has(resolve(dirname(p.path), first));
  };
  const items = slots.filter((s) => !('path' in s && withItsTable(s)));
  const paths = items.filter((s): s is Path => 'path' in s);
  const bar = progress(io);
  const results = await checkFiles(paths, campaign, {
    onProgress: (done, total) => bar.update(t('ui/progress-read', { done, total })),
  });
  bar.done();
  // Earlier rounds: read (a broken one ends the run before anything is shown), their warnings added.
  const { notes } = await historyFor(campaign, options, results);
  if (notes.length) io.stderr(paint.yellow(notes.join('\n')));
  let next = 0;
  const checked = items.map((s) => ('path' in s ? results[next++]! : s));
  const isOk = (f: CheckedFile) => f.ok && !(options.strict && f.diagnostics.length > 0);
  const report: ValidateReport = {
    files: checked.map((f) => ({ file: f.file, department: f.department ?? null, ok: isOk(f), diagnostics: f.diagnostics })),
  };
  if (options.json) io.stdout(JSON.stringify(report, null, 2));
  else io.stdout(renderValidation(checked, isOk));
  if (usageProblem) return ExitCode.usage;
  return checked.every(isOk) ? ExitCode.ok : ExitCode.findings;
}

/** Human output: each file's findings, then one summary line. */
export function renderValidation(checked: CheckedFile[], isOk: (f: CheckedFile) => boolean): string {
  const parts: string[] = [];
  for (const f of checked) {
    const { errors, warnings } = countBySeverity(f.diagnostics);
    if (f.diagnostics.length) parts.push(formatDiagnostics(f));
    const verdict = isOk(f) ? paint.green(`✔ ${t('ui/file-ok', { file: f.file })}`) : paint.red(`✘ ${printable(f.file)}`);
    parts.push(f.diagnostics.length ? `${verdict}  ${t('ui/errors-warnings', { errors, warnings })}\n` : verdict);
  }
  if (checked.length > 1) {
    const ok = checked.filter(isOk).length;
    parts.push(paint.bold(t('ui/summary-validate', { files: checked.length, ok, bad: checked.length - ok })));
  }
  return parts.join('\n');
}
