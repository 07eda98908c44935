/** `report validate <file...>`: the department's check before sending. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCampaign } from '../campaign/load.js';
import { ExitCode, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { t } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import { countBySeverity, formatDiagnostics } from '../reporters/diagnostics.js';
import { paint } from '../reporters/style.js';
import { checkFiles, listSubmissionFiles } from '../submission/load.js';
import { progress, type Io } from '../io.js';

export interface ValidateOptions {
  files: string[];
  json?: boolean;
  strict?: boolean;
  campaign?: string;
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
  // Paths to check, in the order given (a folder's YAML files in name order); unreadable paths are reported in place.
  const slots: (string | CheckedFile)[] = [];
  let usageProblem = false;
  for (const arg of options.files) {
    const info = await stat(arg).catch(() => undefined);
    if (!info) {
      usageProblem = true;
      slots.push({ file: arg, ok: false, diagnostics: [makeDiagnostic('error', 'file/not-found', { path: arg })] });
    } else if (info.isDirectory()) {
      const { candidates } = await listSubmissionFiles(arg);
      // A folder without submissions is a wrong path, not a clean result.
      if (candidates.length === 0) {
        usageProblem = true;
        slots.push({ file: arg, ok: false, diagnostics: [makeDiagnostic('error', 'file/no-submissions', { path: arg })] });
      } else slots.push(...candidates.map((name) => join(arg, name)));
    } else slots.push(arg);
  }
  const paths = slots.filter((s): s is string => typeof s === 'string');
  const bar = progress(io);
  const results = await checkFiles(paths.map((path) => ({ path, shownAs: path })), campaign, {
    onProgress: (done, total) => bar.update(t('ui/progress-read', { done, total })),
  });
  bar.done();
  let next = 0;
  const checked = slots.map((s) => (typeof s === 'string' ? results[next++]! : s));
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
    const verdict = isOk(f) ? paint.green(`✔ ${t('ui/file-ok', { file: f.file })}`) : paint.red(`✘ ${f.file}`);
    parts.push(f.diagnostics.length ? `${verdict}  ${t('ui/errors-warnings', { errors, warnings })}\n` : verdict);
  }
  if (checked.length > 1) {
    const ok = checked.filter(isOk).length;
    parts.push(paint.bold(t('ui/summary-validate', { files: checked.length, ok, bad: checked.length - ok })));
  }
  return parts.join('\n');
}
