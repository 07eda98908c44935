/** `report validate <file...>`: the department's check before sending. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCampaign } from '../campaign/load.js';
import { ExitCode, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { t } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import { countBySeverity, formatDiagnostics } from '../reporters/diagnostics.js';
import { paint } from '../reporters/style.js';
import { checkFile, listSubmissionFiles } from '../submission/load.js';
import type { Io } from './io.js';

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
  const checked: CheckedFile[] = [];
  let usageProblem = false;
  for (const arg of options.files) {
    const info = await stat(arg).catch(() => undefined);
    if (!info) {
      usageProblem = true;
      checked.push({ file: arg, ok: false, diagnostics: [makeDiagnostic('error', 'file/not-found', { path: arg })] });
    } else if (info.isDirectory()) {
      const { candidates } = await listSubmissionFiles(arg);
      for (const name of candidates) checked.push(await checkFile(join(arg, name), campaign));
    } else checked.push(await checkFile(arg, campaign));
  }
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
