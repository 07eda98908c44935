/** Reading submission files from disk into CheckedFiles: the I/O edge of the core. */
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { getLang } from '../messages/index.js';
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

/** Below this many files, threads cost more to start than they save. */
const PARALLEL_FROM = 48;

/**
 * Check every submission in a folder. YAML parsing dominates, so a big folder
 * (a city's or province's) is spread over worker threads, one per core.
 */
export async function checkFolder(
  dir: string,
  campaign: Campaign,
  onProgress?: (done: number, total: number) => void,
): Promise<{ files: CheckedFile[]; others: string[] }> {
  const { candidates, others } = await listSubmissionFiles(dir);
  const files = await checkFiles(candidates.map((name) => ({ path: join(dir, name), shownAs: name })), campaign, onProgress);
  return { files, others };
}

/** Check many files, in order; spread over worker threads when there are many. */
export async function checkFiles(
  paths: { path: string; shownAs: string }[],
  campaign: Campaign,
  onProgress?: (done: number, total: number) => void,
): Promise<CheckedFile[]> {
  const jobs = paths.map((p, index) => ({ ...p, index }));
  const threads = Math.min(availableParallelism(), 4);
  return jobs.length >= PARALLEL_FROM && threads > 1
    ? checkInWorkers(jobs, campaign, threads, onProgress)
    : checkInProcess(jobs, campaign, onProgress);
}

type Job = { index: number; path: string; shownAs: string };

async function checkInProcess(jobs: Job[], campaign: Campaign, onProgress?: (done: number, total: number) => void) {
  const files: CheckedFile[] = new Array(jobs.length);
  let done = 0;
  for (const job of jobs) {
    files[job.index] = await checkFile(job.path, campaign, { shownAs: job.shownAs });
    onProgress?.(++done, jobs.length);
  }
  return files;
}

function checkInWorkers(jobs: Job[], campaign: Campaign, threads: number, onProgress?: (done: number, total: number) => void) {
  return new Promise<CheckedFile[]>((resolve, reject) => {
    const files: CheckedFile[] = new Array(jobs.length);
    const batchSize = 8;
    let next = 0;
    let done = 0;
    const workers: Worker[] = [];
    const finish = (error?: unknown) => {
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(files);
    };
    const feed = (worker: Worker) => {
      const batch = jobs.slice(next, next + batchSize);
      next += batch.length;
      if (batch.length) worker.postMessage(batch);
    };
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { campaign, lang: getLang() }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      workers.push(worker);
      worker.on('message', (results: { index: number; file: CheckedFile }[]) => {
        for (const r of results) files[r.index] = r.file;
        done += results.length;
        onProgress?.(done, jobs.length);
        if (done === jobs.length) finish();
        else feed(worker);
      });
      worker.on('error', finish);
      feed(worker);
    }
  });
}
