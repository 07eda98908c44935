/** Reading submission files from disk into CheckedFiles: the I/O edge of the core. */
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { getLang, osReason } from '../messages/index.js';
import type { Campaign } from '../campaign/schema.js';
import type { CheckedFile } from '../model.js';
import { hasErrors, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { cacheKey, codeVersion, readCacheTable, writeCacheTable } from '../cache.js';
import { completeCheck, type TextCheck } from './result.js';
import { decodeText, readBytes, MAX_SUBMISSION_BYTES, type DecodedText } from '../source/read.js';
import { binaryNamedYaml, checkWorkbook, isWorkbookFile, MAX_WORKBOOK_BYTES, workbookKey } from './workbook-file.js';
import type { SecondFile } from '../source/workbook.js';
import { firstFileName, secondFileName } from '../layout/merged.js';

export interface CheckOptions {
  /** Keep each valid file's whole Submission (merge); otherwise only its brief (status, validate). */
  withSubmissions?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** A text check as kept between runs: all but the whole submission, a few hundred bytes. */
export type KeptCheck = Omit<TextCheck, 'submission'>;

export interface Job {
  index: number;
  /** The path as shown; materials are found beside it. */
  path: string;
  /** The path as the file system has it, when its name is not UTF-8. */
  raw?: Buffer;
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
  const { bytes, sha256, mtimeMs, failure } = workbook ? readBytes(job.raw ?? job.path, MAX_WORKBOOK_BYTES, 'workbook/too-large') : readBytes(job.raw ?? job.path, MAX_SUBMISSION_BYTES);
  const base = { file: job.shownAs, ...(sha256 && bytes && { sha256, size: bytes.length }), ...(mtimeMs !== undefined && { mtimeMs }) };
  if (!bytes || !sha256) return { index: job.index, file: { ...base, diagnostics: failure ? [failure] : [], ok: false } };
  // Decoded at most once: for a check not kept from before, or to show beside findings.
  let decoded: DecodedText | Diagnostic | undefined;
  const second = workbook && !job.raw ? readSecondFile(job.path) : undefined;
  const keptAs = workbook ? workbookKey(second ? `${sha256}+${second.sha256}` : sha256, job.path) : sha256;
  let text: TextCheck | undefined = withSubmission ? undefined : kept.get(keptAs);
  if (!text && workbook) text = await checkWorkbook(bytes, job.path, campaign, second);
  if (!text) {
    decoded = decodeText(bytes);
    // A workbook, Word or ODS file named .yaml: said what it is and what to do.
    if ('severity' in decoded && decoded.code === 'file/binary') decoded = binaryNamedYaml(bytes) ?? decoded;
    // The parser and the schema are loaded only for a file not checked before.
    text = 'severity' in decoded ? { diagnostics: [decoded], isForeign: false, outside: { materials: [] } } : (await import('./check.js')).checkText(decoded.text, campaign);
  }
  const result = completeCheck(text, job.path, new Date());
  // A name that is not UTF-8 reads as garbage on another PC: read, but said.
  if (job.raw) result.diagnostics.unshift(makeDiagnostic('warning', 'file/name-encoding', { name: job.shownAs }));
  const checked: CheckedFile = { ...base, diagnostics: result.diagnostics, ok: !hasErrors(result.diagnostics) };
  if (second && !second.problem) checked.secondFile = { file: second.name, size: second.bytes.length, sha256: second.sha256 };
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

/**
 * The second workbook beside a merged table (汇总表（附表）.xlsx, where merge put the added
 * sheets of a template that locks its structure), read with the table as one submission.
 * Undefined when there is none; one that cannot be read is passed on with why, so the
 * table's check says so.
 */
function readSecondFile(path: string): (SecondFile & { sha256: string }) | undefined {
  const file = join(dirname(path), secondFileName(basename(path)));
  if (firstFileName(basename(path)) || !existsSync(file)) return undefined;
  const { bytes, sha256, failure } = readBytes(file, MAX_WORKBOOK_BYTES, 'workbook/too-large');
  if (bytes && sha256) return { name: basename(file), bytes, sha256 };
  return { name: basename(file), bytes: new Uint8Array(), sha256: 'unreadable', problem: failure?.message ?? '' };
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

/** Files that may be submissions, by name: YAML, and workbooks (isWorkbookFile: .xls/.et too, to get their message). */
const isSubmissionFile = (name: string): boolean => /\.ya?ml$/i.test(name) || isWorkbookFile(name);

/** A file of a submissions folder to check. */
export interface Candidate {
  /** The name as shown (decoded as GB18030 when it is not UTF-8). */
  name: string;
  /** The name as the file system has it, when that is not the shown name (bytes that are not UTF-8). */
  raw?: Buffer;
}

/** A file in a submissions folder that is no submission to check, and why. */
export interface OtherFile {
  file: string;
  /** not-yaml: not a submission file at all; in-subfolder: a submission file below the folder; unreadable: a folder that cannot be read. */
  reason: 'not-yaml' | 'in-subfolder' | 'unreadable' | 'package';
  detail?: string;
}

/** Hidden files and the lock files Office and WPS leave beside an open workbook (~$…). */
const isIgnored = (name: string) => name.startsWith('.') || name.startsWith('~$');

/** The file every package `report pack` writes holds: a folder with it is a package. */
export const PACKAGE_MANIFEST = '报送清单.txt';
/** The manifest's name: 报送清单.txt, or the unit-prefixed 黄山区市场监督管理局-报送清单.txt packages now have. */
export const isPackageManifest = (name: string): boolean => name === PACKAGE_MANIFEST || name.endsWith(`-${PACKAGE_MANIFEST}`);

/** How deep below the folder submission files are looked for (an unzipped 区林业局/区林业局.yaml, a 收文/区林业局/… tree). */
const NESTED_DEPTH = 4;

/**
 * The files of a submissions folder: submissions to check at its top level, other files, and
 * submission files in its subfolders (material folders hold pictures; a submission file there
 * was probably unzipped into its own folder and would otherwise go unseen). A name that is not
 * UTF-8 (a GBK name from a Windows zip) is shown as GB18030 and opened by its own bytes.
 * Throws the OS error when the folder itself cannot be read.
 */
export async function listSubmissionFiles(dir: string): Promise<{ candidates: Candidate[]; others: OtherFile[] }> {
  const { candidates, others } = await listFolder(dir);
  return { candidates, others: await others };
}

/**
 * listSubmissionFiles in two steps: the folder's own files at once, and the walk of its
 * subfolders (a thousand material folders at a province's scale) as it goes on, so the
 * submissions can be checked meanwhile. The walk never rejects: an unreadable subfolder is an OtherFile.
 */
async function listFolder(dir: string): Promise<{ candidates: Candidate[]; others: Promise<OtherFile[]> }> {
  const candidates: Candidate[] = [];
  const others: (OtherFile | Promise<OtherFile[]>)[] = [];
  for (const entry of await readNames(dir)) {
    if (isIgnored(entry.name)) continue;
    if (entry.isDirectory) others.push(nestedSubmissions(join(dir, entry.name), entry.name, 1));
    else if (isSubmissionFile(entry.name)) candidates.push(entry.raw ? { name: entry.name, raw: Buffer.concat([Buffer.from(`${dir}${sep}`), entry.raw]) } : { name: entry.name });
    else others.push({ file: entry.name, reason: 'not-yaml' });
  }
  // A merged table's second workbook is read with the table (readSecondFile), not as a submission of its own.
  const names = new Set(candidates.map((c) => c.name));
  return { candidates: candidates.filter((c) => !names.has(firstFileName(c.name) ?? '')), others: Promise.all(others).then((found) => found.flat()) };
}

/** A folder's entries in name order, each name decoded (GB18030 when not UTF-8, with its bytes kept). */
async function readNames(dir: string): Promise<{ name: string; raw?: Buffer; isDirectory: boolean }[]> {
  const entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  return entries
    .map((e) => {
      const bytes = e.name as unknown as Buffer;
      const utf8 = decodeName(bytes);
      return { name: utf8 ?? gb18030Name.decode(bytes), ...(utf8 === undefined && { raw: bytes }), isDirectory: e.isDirectory() };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

const utf8Name = new TextDecoder('utf-8', { fatal: true });
const gb18030Name = new TextDecoder('gb18030');
function decodeName(bytes: Buffer): string | undefined {
  try {
    return utf8Name.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Submission files below the folder (symbolic links to folders are not followed). */
async function nestedSubmissions(path: string, shown: string, depth: number): Promise<OtherFile[]> {
  let entries;
  try {
    entries = await readNames(path);
  } catch (error) {
    return [{ file: `${shown}/`, reason: 'unreadable', detail: osReason(error) }];
  }
  // A lower level's package (report pack's folder, unzipped beside its table): its files are
  // its materials, not submissions of this level (see packageOwner).
  if (entries.some((e) => !e.isDirectory && isPackageManifest(e.name))) return [{ file: `${shown}/`, reason: 'package' }];
  const found: OtherFile[] = [];
  for (const entry of entries) {
    if (isIgnored(entry.name)) continue;
    const rel = `${shown}/${entry.name}`;
    if (entry.isDirectory) {
      if (depth < NESTED_DEPTH) found.push(...(await nestedSubmissions(join(path, entry.name), rel, depth + 1)));
    } else if (isSubmissionFile(entry.name)) found.push({ file: rel, reason: 'in-subfolder' });
  }
  return found;
}

/** Below this many files, threads cost more to start than they save. */
const PARALLEL_FROM = 48;

/**
 * Check every submission in a folder. YAML parsing dominates, so a big folder
 * (a city's or province's) is spread over worker threads, one per core.
 */
export async function checkFolder(dir: string, campaign: Campaign, options: CheckOptions = {}): Promise<{ files: CheckedFile[]; others: OtherFile[] }> {
  const { candidates, others } = await listFolder(dir);
  const jobs = candidates.map((c) => ({ path: join(dir, c.name), shownAs: c.name, ...(c.raw && { raw: c.raw }) }));
  const [files, otherFiles] = await Promise.all([checkFiles(jobs, campaign, options), others]);
  return { files, others: otherFiles };
}

/** Check many files, in order; spread over worker threads when there are many. */
export async function checkFiles(paths: { path: string; shownAs: string; raw?: Buffer }[], campaign: Campaign, options: CheckOptions = {}): Promise<CheckedFile[]> {
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

async function checkInWorkers(jobs: Job[], campaign: Campaign, threads: number, kept: ReadonlyMap<string, KeptCheck>, { withSubmissions, onProgress }: CheckOptions) {
  // Loaded here: a clerk's one file never starts a thread, and loading the module costs its start-up.
  const { Worker } = await import('node:worker_threads');
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
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: 32 } });
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
