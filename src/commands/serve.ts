/** `report serve`: the collection website on the office network (src/server/). */
import { readFileSync } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCampaign } from '../source/campaign.js';
import { departmentFinder } from '../campaign/lookup.js';
import { ExitCode } from '../diagnostics.js';
import { isWithin, publishFile, shownPath } from '../fs.js';
import { list, osReason, t } from '../messages/index.js';
import { DEFAULT_DIR } from '../pipeline/folder.js';
import { formatBeijing } from '../status/time.js';
import type { Io } from '../io.js';
import type { Campaign } from '../campaign/schema.js';
import type { Server } from 'node:net';

export interface ServeOptions {
  dir?: string;
  host?: string;
  port?: string;
  cert?: string;
  key?: string;
  campaign?: string;
  reissue?: string;
  revoke?: string;
  contact?: string;
  out?: string;
  departmentLimit?: string;
  /** Stop after starting (tests of start-up messages); not an option of the CLI. */
  once?: boolean;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

type Tls = { cert: Buffer; key: Buffer };

export async function serve(options: ServeOptions, io: Io): Promise<ExitCode> {
  // Every upload is synced to disk several times before it is acknowledged; fsync runs on libuv's
  // thread pool (4 threads by default), which two hundred uploads at once would queue behind. Read
  // when the pool first starts: here, before this command's first file-system call.
  process.env.UV_THREADPOOL_SIZE ??= '32';
  const place = await placeOf(options, io);
  if (typeof place === 'number') return place;
  const tls = await readTls(options, io);
  if (typeof tls === 'number') return tls;

  const campaign = await loadCampaign(options.campaign);
  const reissue = namedIds(options.reissue, campaign, io);
  const revoke = namedIds(options.revoke, campaign, io);
  if (typeof reissue === 'number') return reissue;
  if (typeof revoke === 'number') return revoke;

  const { Store } = await import('../server/store.js');
  const { createCollectionServer } = await import('../server/server.js');
  const store = new Store(place.dir, campaign);
  await store.open();
  const issued = await store.issue(reissue, revoke);
  const { server, close } = await createCollectionServer(store, {
    dir: place.dir,
    campaign,
    ...(options.campaign && { campaignFile: options.campaign }),
    outDir: place.outDir,
    ...(options.contact && { contact: options.contact }),
    departmentLimit: place.limitGb * 1024 ** 3,
    ...(tls && { tls }),
    log: (line) => io.stdout(line),
  });

  const failed = await listen(server, place.port, place.host);
  if (failed) {
    await close();
    io.stderr(failed.code === 'EADDRINUSE' ? t('serve/port-in-use', { port: place.port }) : t('serve/listen-failed', { host: place.host, port: place.port, reason: osReason(failed) }));
    return ExitCode.usage;
  }
  const base = announceAddress(io, place.host, (server.address() as { port: number }).port, Boolean(tls));
  if (revoke.length) io.stdout(t('serve/revoked', { names: list(revoke.map((id) => campaign.departments.find((d) => d.id === id)?.name ?? id)) }));
  await announceLinks(io, campaign, base, issued);
  if (issued.departments.size < campaign.departments.length - revoke.length) io.stdout(t('serve/links-kept'));
  io.stdout(t('serve/stop'));

  if (options.once) {
    await close();
    return ExitCode.ok;
  }
  return new Promise<ExitCode>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        void close().then(() => done(ExitCode.ok));
      });
  });
}

/** The folder, address and limits from the options, or the usage error said. */
async function placeOf(options: ServeOptions, io: Io) {
  const dir = options.dir ?? DEFAULT_DIR;
  const host = options.host ?? '127.0.0.1';
  const port = Number(options.port ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(t('usage/port', { value: options.port ?? '' }));
    return ExitCode.usage;
  }
  const limitGb = Number(options.departmentLimit ?? '20');
  if (!(limitGb > 0)) {
    io.stderr(t('usage/department-limit', { value: options.departmentLimit ?? '' }));
    return ExitCode.usage;
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info) {
    io.stderr(t('file/not-found', { path: dir }));
    return ExitCode.usage;
  }
  if (!info.isDirectory()) {
    io.stderr(t('usage/not-a-dir', { path: dir }));
    return ExitCode.usage;
  }
  const outDir = options.out ?? 'out';
  if (isWithin(resolve(dir), resolve(outDir))) {
    io.stderr(t('serve/out-in-dir', { path: outDir }));
    return ExitCode.usage;
  }
  return { dir, host, port, limitGb, outDir };
}

/** The certificate and key (both or neither), read and tried; undefined for plain HTTP. */
async function readTls(options: ServeOptions, io: Io): Promise<Tls | undefined | ExitCode> {
  if (Boolean(options.cert) !== Boolean(options.key)) {
    io.stderr(t('serve/tls-pair'));
    return ExitCode.usage;
  }
  if (!options.cert || !options.key) return undefined;
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      io.stderr(t('serve/tls-unreadable', { file, reason: osReason(error) }));
      return undefined;
    }
  };
  const cert = read(options.cert);
  const key = cert && read(options.key);
  if (!cert || !key) return ExitCode.usage;
  try {
    // A certificate that is not PEM, or a key that does not match it, is said here rather than as a crash on the first visit.
    (await import('node:tls')).createSecureContext({ cert, key });
  } catch (error) {
    io.stderr(t('serve/tls-invalid', { reason: (error as Error).message }));
    return ExitCode.usage;
  }
  return { cert, key };
}

/** Department ids from --reissue/--revoke (names, 'bureau', 'all'), or the usage error said. */
function namedIds(value: string | undefined, campaign: Campaign, io: Io): string[] | ExitCode {
  const find = departmentFinder(campaign);
  const ids: string[] = [];
  for (const name of (value ?? '').split(/[,，、]/).map((s) => s.trim()).filter(Boolean)) {
    if (name === 'bureau') ids.push('bureau');
    else if (name === 'all') ids.push('bureau', ...campaign.departments.map((d) => d.id));
    else {
      const found = find(name);
      if (!found) {
        io.stderr(t('usage/unknown-department', { value: name, valid: list(campaign.departments.map((d) => d.name)) }));
        return ExitCode.usage;
      }
      ids.push(found.id);
    }
  }
  return ids;
}

function listen(server: Server, port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((done) => {
    server.once('error', done);
    server.listen(port, host, () => done(undefined));
  });
}

/** Where the site is, who can reach it and how to let others in; returns the address links start with. */
function announceAddress(io: Io, host: string, port: number, isTls: boolean): string {
  const scheme = isTls ? 'https' : 'http';
  const wildcard = host === '0.0.0.0' || host === '::';
  const lan = wildcard ? lanAddresses() : [];
  const shownHost = wildcard ? (lan[0] ?? '127.0.0.1') : host.includes(':') ? `[${host}]` : host;
  const base = `${scheme}://${shownHost}:${port}`;
  io.stdout(t('serve/listening', { url: base }));
  if (isLoopback(host)) io.stdout(t('serve/loopback-only', { port }));
  else {
    if (lan.length > 1) io.stdout(t('serve/addresses', { urls: lan.map((a) => `${scheme}://${a}:${port}`).join('  ') }));
    io.stdout(t('serve/firewall', { port }));
    if (!isTls) io.stderr(t('serve/plain-http'));
  }
  return base;
}

/** The links issued now, printed and written to a new file. */
async function announceLinks(io: Io, campaign: Campaign, base: string, issued: { bureau?: string; departments: Map<string, string> }) {
  const lines: string[] = [];
  if (issued.bureau) lines.push(t('serve/bureau-link', { url: `${base}/b/${issued.bureau}` }));
  for (const d of campaign.departments) {
    const token = issued.departments.get(d.id);
    if (token) lines.push(t('serve/department-link', { name: d.name, url: `${base}/d/${encodeURIComponent(d.id)}/${token}` }));
  }
  if (!lines.length) return;
  const text = [t('serve/links-title'), `${campaign.title}  ${formatBeijing(new Date())}`, '', ...lines, ''].join('\n');
  const file = await writeLinks(text);
  io.stdout(['', ...text.split('\n'), t('serve/links-written', { file: shownPath(file) })].join('\n'));
}

/** The links, to a new file beside where the clerk is (never over an older one: those links may still be valid). */
async function writeLinks(text: string): Promise<string> {
  const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (let n = 1; ; n++) {
    const file = join('.', `报送链接-${stamp}${n > 1 ? `-${n}` : ''}.txt`);
    try {
      await publishFile(file, text);
      await chmod(file, 0o600);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** This PC's IPv4 addresses on the office network. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}
