/** Reading submission files from disk into CheckedFiles: the I/O edge of the core. */
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { getLang } from '../messages/index.js';
import type { Campaign } from '../campaign/schema.js';
import type { CheckedFile } from '../model.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { cacheKey, codeVersion, readCacheTable, writeCacheTable } from '../cache.js';
import { completeCheck, type TextCheck } from './result.js';
import { decodeText, readBytes, MAX_SUBMISSION_BYTES, type DecodedText } from '../source/read.js';
import { checkWorkbook, isWorkbookFile, MAX_WORKBOOK_BYTES, workbookKey } from './workbook-file.js';

export interface CheckOptions {
  /** Keep each valid file's whole Submission (merge); otherwise only its brief (status, validate). */
  withSubmissions?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** A text check as kept between runs: all but the whole submission, a few hundred bytes. */
export type KeptCheck = Omit<TextCheck, 'submission'>;

export interface Job {
  index: number;
  path: string;
  /** The name used in messages. */
  shownAs: string;
}

export interface Checked {
  index: number;
  file: CheckedFile;
  /** What to keep for the file's bytes (file.sha256), when they could be read. */
  kept?: KeptCheck;
  /** The key it is kept under, when not file.sha256 (a workbook's: see workbookKey). */
  keptAs?: string;
}

/**
 * Read and check one file. The check of its text is taken from `kept` when the same bytes
 * were checked before (unless the whole submission is wanted: merge checks again, about a
 * millisecond a file); what lies outside the text is checked every time. Never throws for a bad file.
 */
export async function checkFile(job: Job, campaign: Campaign, kept: ReadonlyMap<string, KeptCheck>, withSubmission: boolean): Promise<Checked> {
  const workbook = isWorkbookFile(job.path);
  const { bytes, sha256, mtimeMs, failure } = workbook ? await readBytes(job.path, MAX_WORKBOOK_BYTES, 'workbook/too-large') : await readBytes(job.path, MAX_SUBMISSION_BYTES);
  const base = { file: job.shownAs, ...(sha256 && { sha256 }), ...(mtimeMs !== undefined && { mtimeMs }) };
  if (!bytes || !sha256) return { index: job.index, file: { ...base, diagnostics: failure ? [failure] : [], ok: false } };
  // Decoded at most once: for a check not kept from before, or to show beside findings.
  let decoded: DecodedText | Diagnostic | undefined;
  const keptAs = workbook ? workbookKey(sha256, job.path) : sha256;
  let text: TextCheck | undefined = withSubmission ? undefined : kept.get(keptAs);
  if (!text && workbook) text = await checkWorkbook(bytes, job.path, campaign);
  if (!text) {
    decoded = decodeText(bytes);
    // The parser and the schema are loaded only for a file not checked before.
    text = 'severity' in decoded ? { diagnostics: [decoded], isForeign: false, outside: { materials: [] } } : (await import('./check.js')).checkText(decoded.text, campaign);
  }
  const result = completeCheck(text, job.path, new Date());
  const checked: CheckedFile = { ...base, diagnostics: result.diagnostics, ok: !hasErrors(result.diagnostics) };
  // The text is kept only where it is shown: beside findings, and to guess a broken file's department.
  if (result.diagnostics.length && !workbook) {
    decoded ??= decodeText(bytes);
    if (!('severity' in decoded)) checked.source = decoded.text;
  }
  if (result.department) checked.department = result.department;
  if (result.brief) checked.brief = result.brief;
  if (result.submission && withSubmission) checked.submission = result.submission;
  if (result.isForeign) checked.isForeign = true;
  if (text.outside.summaryFile) checked.summaryFile = text.outside.summaryFile.path;
  const { submission: _whole, ...keep } = text;
  return { index: job.index, file: checked, kept: keep, ...(keptAs !== sha256 && { keptAs }) };
}

/** The shape of a kept check, enough that using one cannot throw (the cache is a file anyone can damage). */
function isKeptCheck(value: unknown): value is KeptCheck {
  const v = value as KeptCheck | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.diagnostics) && typeof v.outside === 'object' && v.outside !== null && Array.isArray(v.outside.materials);
}

/**
 * Checks kept from earlier runs, by the SHA-256 of the file's bytes, for this campaign,
 * language and checking code: one table read and written whole (see cache.ts), so that
 * a province's 1,000 files cost one small file, not a thousand.
 */
function keptChecks(campaign: Campaign) {
  const key = cacheKey(codeVersion(), 'check', JSON.stringify(campaign), getLang());
  const kept = readCacheTable('check', key, isKeptCheck);
  return {
    kept,
    /** Keep this run's checks (as the most recent) with the earlier ones. Written only when something is new. */
    save(done: Checked[]) {
      const fresh = new Map<string, KeptCheck>();
      for (const { file, kept: k, keptAs } of done) if (file.sha256 && k) fresh.set(keptAs ?? file.sha256, k);
      if ([...fresh.keys()].every((sha) => kept.has(sha))) return;
      for (const sha of fresh.keys()) kept.delete(sha);
      writeCacheTable('check', key, new Map([...kept, ...fresh]));
    },
  };
}

/** Files in a submissions folder that may be submissions: YAML files and workbooks at its top level (material subfolders are skipped). */
export async function listSubmissionFiles(dir: string): Promise<{ candidates: string[]; others: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true });
  const candidates: string[] = [];
  const others: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))) {
    if (e.name.startsWith('.') || e.name.startsWith('~$')) continue; // hidden files and Office lock files
    if (e.isDirectory()) continue;
    if (/\.ya?ml$/i.test(e.name) || isWorkbookFile(e.name)) candidates.push(e.name);
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
export async function checkFolder(dir: string, campaign: Campaign, options: CheckOptions = {}): Promise<{ files: CheckedFile[]; others: string[] }> {
  const { candidates, others } = await listSubmissionFiles(dir);
  const files = await checkFiles(candidates.map((name) => ({ path: join(dir, name), shownAs: name })), campaign, options);
  return { files, others };
}

/** Check many files, in order; spread over worker threads when there are many. */
export async function checkFiles(paths: { path: string; shownAs: string }[], campaign: Campaign, options: CheckOptions = {}): Promise<CheckedFile[]> {
  const jobs = paths.map((p, index) => ({ ...p, index }));
  const threads = Math.min(availableParallelism(), 4);
  const store = keptChecks(campaign);
  const done =
    jobs.length >= PARALLEL_FROM && threads > 1 ? await checkInWorkers(jobs, campaign, threads, store.kept, options) : await checkInProcess(jobs, campaign, store.kept, options);
  store.save(done);
  const files: CheckedFile[] = new Array(jobs.length);
  for (const d of done) files[d.index] = d.file;
  return files;
}

async function checkInProcess(jobs: Job[], campaign: Campaign, kept: ReadonlyMap<string, KeptCheck>, { withSubmissions, onProgress }: CheckOptions) {
  const done: Checked[] = [];
  for (const job of jobs) {
    done.push(await checkFile(job, campaign, kept, Boolean(withSubmissions)));
    onProgress?.(done.length, jobs.length);
  }
  return done;
}

function checkInWorkers(jobs: Job[], campaign: Campaign, threads: number, kept: ReadonlyMap<string, KeptCheck>, { withSubmissions, onProgress }: CheckOptions) {
  return new Promise<Checked[]>((resolve, reject) => {
    const done: Checked[] = [];
    const batchSize = 8;
    let next = 0;
    const workers: Worker[] = [];
    const finish = (error?: unknown) => {
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(done);
    };
    const feed = (worker: Worker) => {
      const batch = jobs.slice(next, next + batchSize);
      next += batch.length;
      if (batch.length) worker.postMessage(batch);
    };
    const workerData = { campaign, lang: getLang(), kept, withSubmission: Boolean(withSubmissions) };
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      workers.push(worker);
      worker.on('message', (results: Checked[]) => {
        done.push(...results);
        onProgress?.(done.length, jobs.length);
        if (done.length === jobs.length) finish();
        else feed(worker);
      });
      worker.on('error', finish);
      // Two batches each, so a worker never waits for the main thread between batches.
      feed(worker);
      feed(worker);
    }
  });
}
