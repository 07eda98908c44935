/** Reading submission files from disk into CheckedFiles: the I/O edge of the core. */
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { getLang } from '../messages/index.js';
import type { Campaign } from '../campaign/schema.js';
import type { CheckedFile, Submission } from '../model.js';
import { hasErrors } from '../diagnostics.js';
import { cacheKey, codeVersion, readCached, writeCached } from '../cache.js';
import { checkText, completeCheck, type TextCheck } from './check.js';
import { decodeText, readBytes } from './read.js';

/** Read and check one file. `shownAs` is the name used in messages. Never throws for a bad file. */
export async function checkFile(path: string, campaign: Campaign, options: { shownAs?: string; now?: Date } = {}): Promise<CheckedFile> {
  const file = options.shownAs ?? path;
  const { bytes, sha256, mtimeMs, failure } = await readBytes(path);
  const base = { file, ...(sha256 && { sha256 }), ...(mtimeMs !== undefined && { mtimeMs }) };
  if (!bytes || !sha256) return { ...base, diagnostics: failure ? [failure] : [], ok: false };
  const result = completeCheck(cachedTextCheck(bytes, sha256, campaign), path, options.now ?? new Date());
  const checked: CheckedFile = { ...base, diagnostics: result.diagnostics, ok: !hasErrors(result.diagnostics) };
  // The text is kept only where it is shown: beside findings, and to guess a broken file's department.
  if (result.diagnostics.length) {
    const decoded = decodeText(bytes);
    if (!('severity' in decoded)) checked.source = decoded.text;
  }
  if (result.department) checked.department = result.department;
  if (result.submission) checked.submission = result.submission;
  if (result.isForeign) checked.isForeign = true;
  return checked;
}

/** The modules whose code decides a text check's result. */
const CHECK_CODE = ['./check.js', './rules.js', './values.js', './parse.js', './block.js', './read.js', '../messages/index.js', '../messages/zh.js', '../messages/en.js', '../diagnostics.js'];
const campaignKeys = new WeakMap<Campaign, string>();

/**
 * The text check of a file, reused while the file's bytes, the campaign, the language
 * and the checking code are all unchanged. What lies outside the text is checked anew.
 */
function cachedTextCheck(bytes: Uint8Array, sha256: string, campaign: Campaign): TextCheck {
  let campaignKey = campaignKeys.get(campaign);
  if (!campaignKey) campaignKeys.set(campaign, (campaignKey = cacheKey(JSON.stringify(campaign))));
  const key = cacheKey(codeVersion(import.meta.url, CHECK_CODE), campaignKey, getLang(), sha256);
  const cached = readCached<StoredTextCheck>('check', key);
  if (cached) return fromStored(cached);
  const decoded = decodeText(bytes);
  const fresh: TextCheck = 'severity' in decoded ? { diagnostics: [decoded], isForeign: false, outside: { materials: [] } } : checkText(decoded.text, campaign);
  writeCached('check', key, toStored(fresh));
  return fresh;
}

/** A TextCheck as JSON: the submission's Maps as entry lists. */
type StoredSubmission = Omit<Submission, 'statistics' | 'tasks'> & { statistics: [string, number][]; tasks: [number, string][] };
type StoredTextCheck = Omit<TextCheck, 'submission'> & { submission?: StoredSubmission };

function toStored(check: TextCheck): StoredTextCheck {
  const { submission, ...rest } = check;
  return submission ? { ...rest, submission: { ...submission, statistics: [...submission.statistics], tasks: [...submission.tasks] } } : rest;
}

function fromStored(stored: StoredTextCheck): TextCheck {
  const { submission, ...rest } = stored;
  return submission ? { ...rest, submission: { ...submission, statistics: new Map(submission.statistics), tasks: new Map(submission.tasks) } } : rest;
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
      // Two batches each, so a worker never waits for the main thread between batches.
      feed(worker);
      feed(worker);
    }
  });
}
