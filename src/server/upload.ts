/**
 * One upload, from the browser's request to its answer: the part streamed to a new file under
 * partial/ (hashed, its first and last bytes kept for sniffing) and synced; refused there for its
 * name, kind, size or content; else kept as the department's next version, checked on a check
 * thread (workbooks and YAML), recorded, and made current when clean. The answer is sent only
 * after all of that is on disk.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Department } from '../campaign/schema.js';
import { hasErrors, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { formatSize, syncFile } from '../fs.js';
import { t, type MessageCode, type MessageParams } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import { formatBeijing } from '../status/time.js';
import type { Context } from './context.js';
import { isSameSite, sendJson } from './http.js';
import { contentMatches, kindOfName, limitOf, uploadName, type UploadKind } from './sniff.js';
import { extensionOf, submissionNames, type VersionRecord } from './store.js';
import { renderFindings, view } from './views.js';

interface Answer {
  status: number;
  body: unknown;
}

/** The file as it arrived under partial/: written whole and synced. */
interface Arrived {
  path: string;
  name: string;
  kind: UploadKind;
  size: number;
  sha256: string;
}

/** Kinds checked as submissions; the others are materials (and a .docx the department's 总结). */
const isChecked = (kind: UploadKind) => kind === 'workbook' || kind === 'yaml';

/**
 * A material at least this big (by the request's Content-Length; one without it counts as big)
 * streams for long enough that idle check threads are let go while it arrives. Not for a picture:
 * a department sends its pictures just before its workbook, which would then wait for a new thread.
 */
const RELEASE_FROM = 32 * 1024 ** 2;

/** The POST of a department's page: refused unless it comes from that page (see isSameSite). */
export async function uploadRoute(ctx: Context, req: IncomingMessage, res: ServerResponse, d: Department) {
  if (isSameSite(req, ctx.store, d.id)) return upload(ctx, req, res, d);
  // The body is read and dropped, so the sender gets the answer rather than a broken connection.
  req.resume();
  return new Promise<void>((done) => req.on('end', () => done(sendJson(res, 403, { error: t('serve/refused-csrf') }))).on('error', () => done()));
}

/** Receive one file, keep it, check it, and answer only once it is on disk. */
async function upload(ctx: Context, req: IncomingMessage, res: ServerResponse, d: Department) {
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, preservePath: true, limits: { files: 1, fields: 4, fieldSize: 1024, parts: 5 }, defParamCharset: 'utf8' });
  } catch {
    return sendJson(res, 400, { error: t('serve/refused-empty') }, true);
  }
  let outcome: Promise<Answer> | undefined;
  bb.on('file', (_field, stream, info) => {
    if (outcome) return stream.resume();
    outcome = receive(ctx, stream, info.filename, d, Number(req.headers['content-length']));
  });
  if (!(await formEnds(req, bb))) {
    // A body cut short (the browser closed, the network failed): nothing was acknowledged.
    await outcome?.catch(() => undefined);
    return sendJson(res, 400, { error: t('serve/refused-empty') }, true);
  }
  if (!outcome) return sendJson(res, 400, { error: t('serve/refused-empty') });
  const { status, body } = await outcome;
  return sendJson(res, status, body);
}

/** True when the whole form arrived; false when the request was cut short. */
async function formEnds(req: IncomingMessage, bb: busboy.Busboy): Promise<boolean> {
  const done = new Promise<void>((resolve, reject) => {
    bb.on('close', resolve);
    bb.on('error', reject);
  });
  // A browser closed or a network cut mid-upload: the part ends with an error, and nothing is kept.
  req.on('close', () => {
    if (!req.complete) bb.destroy(new Error('aborted'));
  });
  req.pipe(bb);
  return done.then(
    () => true,
    () => false,
  );
}

/** `declared`: the request's Content-Length (NaN when not given). */
async function receive(ctx: Context, stream: NodeJS.ReadableStream, given: string, d: Department, declared: number): Promise<Answer> {
  const refuse = (status: number, code: MessageCode, params: MessageParams = {}) => {
    stream.resume();
    ctx.options.log?.(`${formatBeijing(new Date())} ${d.name} ${t(code, params)}`);
    return { status, body: { error: t(code, params) } };
  };
  const name = uploadName(given ?? '');
  if (!name) return refuse(400, 'serve/refused-name', { name: given ?? '' });
  const kind = kindOfName(name);
  if (!kind) return refuse(415, 'serve/refused-kind', { name });
  // A big material (a video may stream for minutes) needs no check: idle check threads give their memory back meanwhile.
  if (!isChecked(kind) && !(declared < RELEASE_FROM)) ctx.pool.releaseIdle();
  const room = ctx.options.departmentLimit - ctx.store.usedBytes(d.id);
  if (room <= 0) return refuse(413, 'serve/refused-quota', { limit: formatSize(ctx.options.departmentLimit) });
  const limit = Math.min(limitOf(kind), room);
  const partial = ctx.store.partialPath();
  const { size, sha256, edges } = await writePartial(stream, partial, limit);
  const drop = () => rm(partial, { force: true });
  if (size > limit) {
    await drop();
    const byQuota = limit < limitOf(kind);
    return refuse(413, byQuota ? 'serve/refused-quota' : 'serve/refused-size', { name, limit: formatSize(byQuota ? ctx.options.departmentLimit : limitOf(kind)) });
  }
  if (size === 0) {
    await drop();
    return refuse(400, 'serve/refused-empty');
  }
  if (!contentMatches(kind, edges.first(), edges.last())) {
    await drop();
    return refuse(415, 'serve/refused-content', { name, kind: t(`serve/kind-${kind}`) });
  }
  const record = await ctx.store.locks.run(d.id, () => keepAndCheck(ctx, d, { path: partial, name, kind, size, sha256 }));
  ctx.options.log?.(`${formatBeijing(new Date())} ${d.name} ${name} ${t(`serve/version-${record.kind === 'summary' ? 'summary' : record.state}`)}`);
  return { status: 200, body: { version: view(ctx.store, d, record), findings: renderFindings(record) } };
}

/** The first and last 64 KiB of what passed (a zip's directory is at its end), without reading the file again. */
class Edges {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  static readonly SIZE = 65536;

  add(chunk: Buffer) {
    if (this.headSize < Edges.SIZE) {
      const part = chunk.subarray(0, Edges.SIZE - this.headSize);
      this.head.push(part);
      this.headSize += part.length;
    }
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tailSize - this.tail[0]!.length >= Edges.SIZE) this.tailSize -= this.tail.shift()!.length;
  }

  first = () => Buffer.concat(this.head);
  last = () => {
    const all = Buffer.concat(this.tail);
    return all.subarray(Math.max(0, all.length - Edges.SIZE));
  };
}

/**
 * Stream a part to `path` (a new file), hashing it and keeping its edges, then sync it. Past
 * `limit` the rest is read and dropped (busboy waits for the whole part), and the returned size
 * says so. On a failure nothing is left behind.
 */
async function writePartial(stream: NodeJS.ReadableStream, path: string, limit: number) {
  const hash = createHash('sha256');
  const edges = new Edges();
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      size += chunk.length;
      if (size > limit) return callback();
      hash.update(chunk);
      edges.add(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(stream, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    await syncFile(path);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { size, sha256: hash.digest('hex'), edges };
}

type Base = Pick<VersionRecord, 'seq' | 'at' | 'name' | 'size' | 'sha256'>;

/** Inside the department's lock: the version is kept first, then checked, then (when clean) made current, then recorded. */
async function keepAndCheck(ctx: Context, d: Department, file: Arrived): Promise<VersionRecord> {
  const { seq, path } = await ctx.store.keep(d.id, file.path, file.name);
  const base: Base = { seq, at: new Date().toISOString(), name: file.name, size: file.size, sha256: file.sha256 };
  if (!isChecked(file.kind)) return keepMaterial(ctx, d, base, path, file.kind);
  return checkSubmission(ctx, d, base, path);
}

/** A picture, video or 总结 (.docx): placed under 材料/<单位>/ for the submission to name. */
async function keepMaterial(ctx: Context, d: Department, base: Base, path: string, kind: UploadKind): Promise<VersionRecord> {
  const published = await ctx.store.placeMaterial(d, path, base.name);
  const record: VersionRecord = { ...base, kind: kind === 'docx' ? 'summary' : 'material', state: 'material', published, diagnostics: [] };
  await ctx.store.record(d.id, record);
  return record;
}

/** A workbook or YAML file: checked where it will live; kept as rejected with its findings, or recorded as accepted and made current. */
async function checkSubmission(ctx: Context, d: Department, base: Base, path: string): Promise<VersionRecord> {
  const ext = extensionOf(base.name);
  const staged = await ctx.store.stage(d.id, path, ext);
  let checked: CheckedFile;
  try {
    checked = await ctx.pool.check(staged, base.name);
  } catch (error) {
    await rm(staged, { force: true });
    throw error;
  }
  const diagnostics = findingsOf(ctx, d, checked);
  const figures = checked.submission ? Object.fromEntries([...checked.submission.statistics].map(([k, v]) => [k, v ?? null])) : undefined;
  const accepted = !hasErrors(diagnostics);
  const record: VersionRecord = { ...base, kind: 'submission', state: accepted ? 'accepted' : 'rejected', diagnostics, ...(figures && { figures }) };
  if (!accepted) {
    await rm(staged, { force: true });
    await ctx.store.record(d.id, { ...record, ...(checked.source && { source: checked.source }) });
    return ctx.store.versions(d.id).at(-1)!;
  }
  // Recorded as accepted before it is made current: a crash in between is finished on the next start (store.resume).
  record.published = `${d.name}${ext}`;
  await ctx.store.record(d.id, record);
  await ctx.store.promote(d, staged, ext, [...(ctx.current.get(d.id) ?? []), ...submissionNames(d)]);
  ctx.current.set(d.id, [record.published]);
  return record;
}

/** The check's findings, and (when it has no errors) whether the file is this department's submission at all. */
function findingsOf(ctx: Context, d: Department, checked: CheckedFile): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...checked.diagnostics];
  if (hasErrors(diagnostics)) return diagnostics;
  if (checked.isForeign || !checked.department) diagnostics.push(makeDiagnostic('error', 'serve/not-submission'));
  else if (checked.department !== d.id) diagnostics.push(makeDiagnostic('error', 'serve/other-department', { claimed: ctx.byId.get(checked.department)?.name ?? checked.department, department: d.name }));
  return diagnostics;
}
