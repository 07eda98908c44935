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

export async function serve(options: ServeOptions, io: Io): Promise<ExitCode> {
  // Every upload is synced to disk several times before it is acknowledged; fsync runs on libuv's
  // thread pool (4 threads by default), which two hundred uploads at once would queue behind. Read
  // when the pool first starts: here, before this command's first file-system call.
  process.env.UV_THREADPOOL_SIZE ??= '32';
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
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (Boolean(options.cert) !== Boolean(options.key)) {
    io.stderr(t('serve/tls-pair'));
    return ExitCode.usage;
  }
  if (options.cert && options.key) {
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
    tls = { cert, key };
  }

  const campaign = await loadCampaign(options.campaign);
  const find = departmentFinder(campaign);
  const named = (value: string | undefined): string[] | ExitCode => {
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
  };
  const reissue = named(options.reissue);
  const revoke = named(options.revoke);
  if (typeof reissue === 'number') return reissue;
  if (typeof revoke === 'number') return revoke;

  const { Store } = await import('../server/store.js');
  const { createCollectionServer } = await import('../server/server.js');
  const store = new Store(dir, campaign);
  await store.open();
  const issued = await store.issue(reissue, revoke);
  const { server, close } = await createCollectionServer(store, {
    dir,
    campaign,
    ...(options.campaign && { campaignFile: options.campaign }),
    outDir,
    ...(options.contact && { contact: options.contact }),
    departmentLimit: limitGb * 1024 ** 3,
    ...(tls && { tls }),
    log: (line) => io.stdout(line),
  });

  const listening = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    server.once('error', done);
    server.listen(port, host, () => done(undefined));
  });
  if (listening) {
    await close();
    io.stderr(listening.code === 'EADDRINUSE' ? t('serve/port-in-use', { port }) : t('serve/listen-failed', { host, port, reason: osReason(listening) }));
    return ExitCode.usage;
  }
  const actualPort = (server.address() as { port: number }).port;
  const scheme = tls ? 'https' : 'http';
  const wildcard = host === '0.0.0.0' || host === '::';
  const lan = wildcard ? lanAddresses() : [];
  const shownHost = wildcard ? (lan[0] ?? '127.0.0.1') : host.includes(':') ? `[${host}]` : host;
  const base = `${scheme}://${shownHost}:${actualPort}`;

  io.stdout(t('serve/listening', { url: base }));
  if (isLoopback(host)) io.stdout(t('serve/loopback-only', { port: actualPort }));
  else {
    if (lan.length > 1) io.stdout(t('serve/addresses', { urls: lan.map((a) => `${scheme}://${a}:${actualPort}`).join('  ') }));
    io.stdout(t('serve/firewall', { port: actualPort }));
    if (!tls) io.stderr(t('serve/plain-http'));
  }
  if (revoke.length) io.stdout(t('serve/revoked', { names: list(revoke.map((id) => campaign.departments.find((d) => d.id === id)?.name ?? id)) }));

  const lines: string[] = [];
  if (issued.bureau) lines.push(t('serve/bureau-link', { url: `${base}/b/${issued.bureau}` }));
  for (const d of campaign.departments) {
    const token = issued.departments.get(d.id);
    if (token) lines.push(t('serve/department-link', { name: d.name, url: `${base}/d/${encodeURIComponent(d.id)}/${token}` }));
  }
  if (lines.length) {
    const text = [t('serve/links-title'), `${campaign.title}  ${formatBeijing(new Date())}`, '', ...lines, ''].join('\n');
    const file = await writeLinks(text);
    io.stdout(['', ...text.split('\n'), t('serve/links-written', { file: shownPath(file) })].join('\n'));
  }
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
