/**
 * The office-network collection server: node:http (or node:https with a certificate), busboy for
 * multipart uploads, the store in the submissions folder (store.ts), the same check as
 * `validate` (on worker threads, check-pool.ts), the same status as `status`, and merge/pack
 * run as the command line runs them.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Campaign, Department } from '../campaign/schema.js';
import { hasErrors, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { t, type MessageCode, type MessageParams } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { reminders, stateLabel, describeUnknown } from '../reporters/status.js';
import { claimedDepartment, computeStatus } from '../status/status.js';
import { formatBeijing } from '../status/time.js';
import { formatSize, syncFile } from '../fs.js';
import { checkFolder } from '../submission/load.js';
import { CheckPool } from './check-pool.js';
import { ASSETS, bureauPage, departmentPage, messagePage } from './pages.js';
import { contentMatches, kindOfName, limitOf, uploadName, type UploadKind } from './sniff.js';
import { extensionOf, Store, type VersionRecord } from './store.js';

export interface ServerOptions {
  dir: string;
  campaign: Campaign;
  /** The campaign file given on the command line, passed on to merge and pack. */
  campaignFile?: string;
  /** Where merge and pack write (never inside the submissions folder). */
  outDir: string;
  /** The lead's contact shown to departments. */
  contact?: string;
  /** Bytes one department may send in all. */
  departmentLimit: number;
  tls?: { cert: Buffer; key: Buffer };
  /** One line per upload, for the clerk watching the window. */
  log?: (line: string) => void;
}

const ANSI = /\u001b\[[0-9;]*m/g;

export async function createCollectionServer(store: Store, options: ServerOptions) {
  const { campaign } = options;
  const pool = await CheckPool.start(campaign);
  const byId = new Map(campaign.departments.map((d) => [d.id, d]));
  // Each department's current files in the folder (any name), learnt once, then kept as uploads promote.
  const current = new Map<string, string[]>();
  const first = await checkFolder(options.dir, campaign);
  for (const f of first.files) {
    // A broken file counts for the department it names too: it is moved aside when a good one comes.
    const id = claimedDepartment(f, campaign);
    if (id) current.set(id, [...(current.get(id) ?? []), f.file]);
  }
  for (const d of campaign.departments) await store.resume(d);

  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }) : http.createServer();
  server.on('request', (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`${t('internal/bug')} ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: t('serve/failed-internal') });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map((p) => safeDecode(p));
    if (parts.some((p) => p === undefined)) return sendText(res, 400, t('serve/refused-link'));
    const [area, ...rest] = parts as string[];
    if (req.method === 'GET' && area === 'assets' && rest.length === 1 && ASSETS[rest[0]!]) {
      const asset = ASSETS[rest[0]!]!;
      return send(res, 200, asset.type, asset.body, { 'Cache-Control': 'no-cache' });
    }
    if (area === 'd' && rest.length >= 2) {
      const [id, token, action, arg] = rest as [string, string, string?, string?];
      const department = byId.get(id);
      if (!department || !store.isToken(id, token)) return sendText(res, 403, t('serve/refused-link'), true);
      return departmentRoute(req, res, department, `/d/${encodeURIComponent(id)}/${token}`, action, arg);
    }
    if (area === 'b' && rest.length >= 1) {
      const [token, action, ...args] = rest as [string, string?, ...string[]];
      if (!store.isToken('bureau', token)) return sendText(res, 403, t('serve/refused-link'), true);
      return bureauRoute(req, res, `/b/${token}`, action, args);
    }
    return sendText(res, 404, t('serve/not-found'), true);
  }

  async function departmentRoute(req: IncomingMessage, res: ServerResponse, d: Department, base: string, action?: string, arg?: string) {
    if (req.method === 'GET' && !action) return send(res, 200, 'text/html; charset=utf-8', departmentPage(campaign, d, { base, csrf: store.csrfFor(d.id), contact: options.contact }));
    if (req.method === 'GET' && action === 'state') return sendJson(res, 200, departmentState(d));
    if (req.method === 'GET' && action === 'fill-in.xlsx') return sendFillIn(res, d);
    if (req.method === 'GET' && action === 'file' && arg) return sendVersion(res, d, arg);
    if (req.method === 'POST' && action === 'upload') {
      if (!isSameSite(req, d.id)) {
        // The body is read and dropped, so the sender gets the answer rather than a broken connection.
        req.resume();
        return new Promise<void>((done) => req.on('end', () => done(sendJson(res, 403, { error: t('serve/refused-csrf') }))).on('error', () => done()));
      }
      return upload(req, res, d);
    }
    return sendText(res, 404, t('serve/not-found'), true);
  }

  function departmentState(d: Department) {
    return { deadline: campaign.deadline, now: new Date().toISOString(), versions: store.versions(d.id).map((v) => view(d, v)) };
  }

  /** A version as the pages show it: its state now (an accepted one later replaced says so). */
  function view(d: Department, v: VersionRecord) {
    const lastAccepted = store.versions(d.id).filter((x) => x.state === 'accepted').at(-1);
    const state = v.state === 'accepted' && v !== lastAccepted ? 'superseded' : v.state;
    const { source: _text, ...shown } = v;
    // To the second: a receipt may be what settles whether a file came before the deadline.
    const seconds = String(new Date(v.at).getUTCSeconds()).padStart(2, '0');
    return { ...shown, state, at: `${formatBeijing(v.at)}:${seconds}`, sizeShown: formatSize(v.size) };
  }

  /** Uploads change files: only from the page itself (its token in a header a cross-site form cannot set; the browser's own Origin when it sends one). */
  function isSameSite(req: IncomingMessage, id: string): boolean {
    const token = req.headers['x-report-csrf'];
    if (typeof token !== 'string' || !store.isCsrf(id, token)) return false;
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin') return false;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      try {
        if (new URL(origin).host !== req.headers.host) return false;
      } catch {
        return false;
      }
    } else if (origin === 'null') return false;
    return true;
  }

  /** Receive one file, keep it, check it, and answer only once it is on disk. */
  async function upload(req: IncomingMessage, res: ServerResponse, d: Department) {
    let bb;
    try {
      bb = busboy({ headers: req.headers, preservePath: true, limits: { files: 1, fields: 4, fieldSize: 1024, parts: 5 }, defParamCharset: 'utf8' });
    } catch {
      return sendJson(res, 400, { error: t('serve/refused-empty') }, true);
    }
    let outcome: Promise<{ status: number; body: unknown }> | undefined;
    bb.on('file', (_field, stream, info) => {
      if (outcome) return stream.resume();
      outcome = receive(stream, info.filename, d);
    });
    const done = new Promise<void>((resolve, reject) => {
      bb.on('close', resolve);
      bb.on('error', reject);
    });
    // A browser closed or a network cut mid-upload: the part ends with an error, and nothing is kept.
    req.on('close', () => {
      if (!req.complete) bb.destroy(new Error('aborted'));
    });
    req.pipe(bb);
    try {
      await done;
    } catch {
      // A body cut short (the browser closed, the network failed): nothing was acknowledged.
      await outcome?.catch(() => undefined);
      return sendJson(res, 400, { error: t('serve/refused-empty') }, true);
    }
    if (!outcome) return sendJson(res, 400, { error: t('serve/refused-empty') });
    const { status, body } = await outcome;
    return sendJson(res, status, body);
  }

  async function receive(stream: NodeJS.ReadableStream & { truncated?: boolean }, given: string, d: Department): Promise<{ status: number; body: unknown }> {
    const refuse = (status: number, code: MessageCode, params: MessageParams = {}) => {
      (stream as NodeJS.ReadableStream).resume();
      options.log?.(`${formatBeijing(new Date())} ${d.name} ${t(code, params)}`);
      return { status, body: { error: t(code, params) } };
    };
    const name = uploadName(given ?? '');
    if (!name) return refuse(400, 'serve/refused-name', { name: given ?? '' });
    const kind = kindOfName(name);
    if (!kind) return refuse(415, 'serve/refused-kind', { name });
    const room = options.departmentLimit - store.usedBytes(d.id);
    if (room <= 0) return refuse(413, 'serve/refused-quota', { limit: formatSize(options.departmentLimit) });
    const limit = Math.min(limitOf(kind), room);
    const partial = store.partialPath();
    const hash = createHash('sha256');
    const heads: Buffer[] = [];
    let size = 0;
    let headSize = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        size += chunk.length;
        // Past the limit the rest is read and dropped (busboy waits for the whole part), and the file refused at the end.
        if (size > limit) return callback();
        hash.update(chunk);
        if (headSize < 65536) {
          heads.push(chunk.subarray(0, 65536 - headSize));
          headSize += Math.min(chunk.length, 65536 - headSize);
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(stream, counter, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await syncFile(partial);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    if (size > limit) {
      await rm(partial, { force: true });
      return refuse(413, limit < limitOf(kind) ? 'serve/refused-quota' : 'serve/refused-size', { name, limit: formatSize(limit < limitOf(kind) ? options.departmentLimit : limitOf(kind)) });
    }
    if (size === 0) {
      await rm(partial, { force: true });
      return refuse(400, 'serve/refused-empty');
    }
    const head = Buffer.concat(heads);
    const tail = await readTail(partial, size);
    if (!contentMatches(kind, head, tail)) {
      await rm(partial, { force: true });
      return refuse(415, 'serve/refused-content', { name, kind: t(`serve/kind-${kind}`) });
    }
    const sha256 = hash.digest('hex');
    const record = await store.locks.run(d.id, () => keepAndCheck(d, partial, name, kind, size, sha256));
    options.log?.(`${formatBeijing(new Date())} ${d.name} ${name} ${t(`serve/version-${record.state}`)}`);
    return { status: 200, body: { version: view(d, record), findings: renderFindings(record) } };
  }

  /** Inside the department's lock: the version is kept first, then checked, then (when clean) made current, then recorded. */
  async function keepAndCheck(d: Department, partial: string, name: string, kind: UploadKind, size: number, sha256: string): Promise<VersionRecord> {
    const { seq, path } = await store.keep(d.id, partial, name);
    const base = { seq, at: new Date().toISOString(), name, size, sha256 };
    if (kind !== 'workbook' && kind !== 'yaml') {
      const published = await store.placeMaterial(d, path, name);
      const record: VersionRecord = { ...base, kind: 'material', state: 'material', published, diagnostics: [] };
      await store.record(d.id, record);
      return record;
    }
    const ext = extensionOf(name);
    const staged = await store.stage(d.id, path, ext);
    let checked: CheckedFile;
    try {
      checked = await pool.check(staged, name);
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
    const diagnostics: Diagnostic[] = [...checked.diagnostics];
    if (!hasErrors(diagnostics)) {
      if (checked.isForeign || !checked.department) diagnostics.push(makeDiagnostic('error', 'serve/not-submission'));
      else if (checked.department !== d.id) diagnostics.push(makeDiagnostic('error', 'serve/other-department', { claimed: byId.get(checked.department)?.name ?? checked.department, department: d.name }));
    }
    const figures = checked.submission ? Object.fromEntries([...checked.submission.statistics].map(([k, v]) => [k, v ?? null])) : undefined;
    const accepted = !hasErrors(diagnostics);
    const record: VersionRecord = { ...base, kind: 'submission', state: accepted ? 'accepted' : 'rejected', diagnostics, ...(figures && { figures }) };
    if (!accepted) {
      await rm(staged, { force: true });
      await store.record(d.id, { ...record, ...(checked.source && { source: checked.source }) });
      return store.versions(d.id).at(-1)!;
    }
    // Recorded as accepted before it is made current: a crash in between is finished on the next start (store.resume).
    record.published = `${d.name}${ext}`;
    await store.record(d.id, record);
    await store.promote(d, staged, ext, [...(current.get(d.id) ?? []), ...['.yaml', '.yml', '.xlsx', '.xlsm'].map((e) => `${d.name}${e}`)]);
    current.set(d.id, [record.published]);
    return record;
  }

  /** Findings as `validate` prints them, for the page. */
  function renderFindings(v: VersionRecord): string {
    if (!v.diagnostics.length) return '';
    return formatDiagnostics({ file: v.name, source: v.source, diagnostics: v.diagnostics }).replace(ANSI, '');
  }

  let fillIns = new Map<string, Promise<string>>();
  async function sendFillIn(res: ServerResponse, d: Department) {
    let made = fillIns.get(d.id);
    if (!made) {
      made = (async () => {
        const folder = join(store.root, 'fill-in');
        await mkdir(folder, { recursive: true });
        const path = join(folder, `${d.id}.xlsx`);
        if (!existsSync(path)) {
          const { writeFillIn } = await import('../template/fill-in.js');
          const tmp = `${path}.${process.pid}.tmp`;
          await rm(tmp, { force: true });
          await writeFillIn(tmp, campaign, d);
          await rename(tmp, path);
        }
        return path;
      })();
      fillIns.set(d.id, made);
      made.catch(() => fillIns.delete(d.id));
    }
    return sendFile(res, await made, `${d.name}.xlsx`);
  }

  function sendVersion(res: ServerResponse, d: Department, seqText: string) {
    // Only this department's own records are looked in: another department's version is not found.
    const v = store.versions(d.id).find((x) => String(x.seq) === seqText);
    if (!v) return sendText(res, 404, t('serve/not-found'), true);
    return sendFile(res, store.versionPath(d.id, v), v.name);
  }

  // ---- the bureau ----

  let board: Promise<unknown> | undefined;
  async function bureauRoute(req: IncomingMessage, res: ServerResponse, base: string, action: string | undefined, args: string[]) {
    if (req.method === 'GET' && !action) return send(res, 200, 'text/html; charset=utf-8', bureauPage(campaign, { base, csrf: store.csrfFor('bureau') }));
    if (req.method === 'GET' && action === 'state') {
      // One reading of the folder at a time, shared by whoever asks meanwhile.
      board ??= bureauState().finally(() => (board = undefined));
      return sendJson(res, 200, await board);
    }
    if (req.method === 'GET' && action === 'file' && args.length === 2) {
      const d = byId.get(args[0]!);
      return d ? sendVersion(res, d, args[1]!) : sendText(res, 404, t('serve/not-found'), true);
    }
    if (req.method === 'POST' && action === 'run' && (args[0] === 'merge' || args[0] === 'pack')) {
      if (!isSameSite(req, 'bureau')) return sendJson(res, 403, { error: t('serve/refused-csrf') }, true);
      req.resume();
      return sendJson(res, 200, await run(args[0]));
    }
    if (req.method === 'GET' && action === 'result' && args.length === 2) {
      const folder = join(options.outDir, args[0]!);
      const found = runs.has(args[0]!) && existsSync(folder) ? readdirSync(folder).find((n) => n === args[1]) : undefined;
      if (!found || !statSync(join(folder, found)).isFile()) return sendText(res, 404, t('serve/not-found'), true);
      return sendFile(res, join(folder, found), found);
    }
    return sendText(res, 404, t('serve/not-found'), true);
  }

  async function bureauState() {
    const now = new Date();
    const { files, others } = await checkFolder(options.dir, campaign);
    const report = computeStatus(campaign, files, others, now);
    const notes = new Map(reminders(report, campaign, options.dir, now).map((r) => [r.id, r.text]));
    return {
      deadline: campaign.deadline,
      now: now.toISOString(),
      counts: Object.fromEntries(Object.entries(report.counts).map(([k, n]) => [stateLabel(k as never), n])),
      departments: report.departments.map((s) => {
        const d = byId.get(s.id)!;
        return {
          id: s.id,
          name: s.name,
          state: s.state,
          stateLabel: stateLabel(s.state),
          files: s.files,
          submittedAt: s.submittedAt ?? '',
          contact: `${s.contact.name} ${s.contact.phone}`,
          errorCount: s.errorCount ?? 0,
          reminder: notes.get(s.id) ?? '',
          revoked: store.isRevoked(s.id),
          versions: store.versions(s.id).map((v) => ({ ...view(d, v), findings: renderFindings(v) })),
        };
      }),
      unknown: report.unknownFiles.map((f) => describeUnknown(f, options.dir)),
    };
  }

  const runs = new Set<string>();
  /** merge or pack as the command line runs them (the same checks and refusals), into a new folder below --out. */
  function run(command: 'merge' | 'pack'): Promise<unknown> {
    const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const name = `${command}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
    const folder = join(options.outDir, name);
    runs.add(name);
    const out = command === 'merge' ? join(folder, `${campaign.table_title}.xlsx`) : folder;
    const args = [process.argv[1]!, command, '--dir', options.dir, '--out', out, ...(options.campaignFile ? ['--campaign', options.campaignFile] : [])];
    return new Promise((resolve) => {
      const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      child.on('close', (code) => {
        const files = existsSync(folder) ? readdirSync(folder).filter((n) => !n.startsWith('.') && statSync(join(folder, n)).isFile()) : [];
        options.log?.(`${formatBeijing(new Date())} ${command} → ${code === 0 ? folder : code}`);
        resolve({ ok: code === 0, output: output.replace(ANSI, ''), downloads: files.map((f) => ({ name: f, url: `result/${encodeURIComponent(name)}/${encodeURIComponent(f)}` })) });
      });
    });
  }

  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await pool.close();
      fillIns = new Map();
    },
  };
}

function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

async function readTail(path: string, size: number): Promise<Buffer> {
  const length = Math.min(size, 65536);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer;
  } finally {
    await handle.close();
  }
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}, close = false) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra, ...(close && { Connection: 'close' }) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), {}, close);
}

function sendText(res: ServerResponse, status: number, text: string, close = false) {
  send(res, status, 'text/html; charset=utf-8', messagePage(text), {}, close);
}

function sendFile(res: ServerResponse, path: string, name: string) {
  const size = statSync(path).size;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}
