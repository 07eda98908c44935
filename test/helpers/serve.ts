/** Start the built `report serve` on a folder, the way a clerk does, and talk to it as a browser would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, SAMPLE_SUBMISSIONS } from './paths.js';
import { tempDir } from './exec.js';

export interface Running {
  child: ChildProcess;
  /** Everything printed so far. */
  output: () => string;
  base: string;
  bureau: string;
  /** Department name → its link. */
  links: Map<string, string>;
  stop(): Promise<void>;
}

/** A working folder with `sub/` (a copy of the sample submissions without 区林业局, or empty). */
export function serveFolder(withSamples = true): { root: string; dir: string } {
  const root = tempDir('report-serve-');
  const dir = join(root, 'sub');
  if (withSamples) cpSync(SAMPLE_SUBMISSIONS, dir, { recursive: true });
  else mkdirSync(dir);
  return { root, dir };
}

/** A port free now, for a server that is started again on the same address (its links stay valid). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `nodeArgs`: before the program, e.g. ['--import', preload]. */
export function startServe(root: string, args: string[] = [], nodeArgs: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--dir', 'sub', ...(args.includes('--port') ? [] : ['--port', '0']), ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', REPORT_LANG: undefined, REPORT_CACHE_DIR: join(root, '.cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!out.includes('按 Ctrl-C 停止')) return;
      clearInterval(timer);
      const base = /报送网站已启动：(\S+)/.exec(out)![1]!;
      const links = new Map<string, string>();
      for (const m of out.matchAll(/^(区\S+)：(http\S+)$/gm)) links.set(m[1]!, m[2]!);
      resolve({
        child,
        output: () => out,
        base,
        bureau: /牵头单位（[^）]*）：(http\S+)/.exec(out)?.[1] ?? '',
        links,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`serve ended (${code}):\n${out}`));
    });
  });
}

/** The CSRF token a page carries. */
export async function csrfOf(link: string): Promise<string> {
  const html = await (await fetch(link)).text();
  return /"csrf":"([^"]+)"/.exec(html)![1]!;
}

/** Upload one file as the page does (multipart, with the page's token). */
export async function upload(link: string, name: string, bytes: Uint8Array | string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const csrf = headers['X-Report-CSRF'] ?? (await csrfOf(link));
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(`${link}/upload`, { method: 'POST', body: form, headers: { 'X-Report-CSRF': csrf, ...headers } });
  return { status: res.status, body: await res.json() };
}
