/** Reading submission files from disk into CheckedFiles: the I/O edge of the core. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import type { CheckedFile } from '../model.js';
import { hasErrors } from '../diagnostics.js';
import { checkSubmission } from './check.js';
import { readTextFile } from './read.js';

/** Read and check one file. `shownAs` is the name used in messages. Never throws for a bad file. */
export async function checkFile(path: string, campaign: Campaign, options: { shownAs?: string; now?: Date } = {}): Promise<CheckedFile> {
  const file = options.shownAs ?? path;
  const read = await readTextFile(path);
  const base = { file, ...(read.sha256 && { sha256: read.sha256 }), ...(read.mtimeMs !== undefined && { mtimeMs: read.mtimeMs }) };
  if (read.failure || read.text === undefined) return { ...base, diagnostics: read.failure ? [read.failure] : [], ok: false };
  const result = checkSubmission(read.text, { campaign, file: path, ...(options.now && { now: options.now }) });
  const checked: CheckedFile = { ...base, source: read.text, diagnostics: result.diagnostics, ok: !hasErrors(result.diagnostics) };
  if (result.department) checked.department = result.department;
  if (result.submission) checked.submission = result.submission;
  if (result.isForeign) checked.isForeign = true;
  return checked;
}

/** Files in a submissions folder that may be submissions: YAML files at its top level (material subfolders are skipped). */
export async function listSubmissionFiles(dir: string): Promise<{ candidates: string[]; others: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true });
  const candidates: string[] = [];
  const others: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))) {
    if (e.name.startsWith('.') || e.name.startsWith('~$')) continue; // hidden files and Office lock files
    if (e.isDirectory()) continue;
    if (/\.ya?ml$/i.test(e.name)) candidates.push(e.name);
    else others.push(e.name);
  }
  return { candidates, others };
}

/** Check every submission in a folder, a bounded number at a time. */
export async function checkFolder(
  dir: string,
  campaign: Campaign,
  onProgress?: (done: number, total: number) => void,
): Promise<{ files: CheckedFile[]; others: string[] }> {
  const { candidates, others } = await listSubmissionFiles(dir);
  const files: CheckedFile[] = new Array(candidates.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const i = next++;
      const name = candidates[i]!;
      files[i] = await checkFile(join(dir, name), campaign, { shownAs: name });
      onProgress?.(++done, candidates.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, candidates.length) }, worker));
  return { files, others };
}
