/** Running one command as its own process and measuring it. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PROBE = new URL('./rss.mjs', import.meta.url);

/** Children still running, so an interrupted benchmark can stop them. */
export const running = new Set();

/**
 * Run `node …args` and time it from spawn to exit. With `probe`, the rss.mjs preload
 * reports the child's peak RSS and the CommonJS packages it loaded.
 * @returns {Promise<{ms:number, code:number|null, signal:string|null, stdout:string, stderr:string, maxRssKiB?:number, cjsPackages?:string[]}>}
 */
export function runNode(args, { cwd, probeDir, probe = false, env = {} } = {}) {
  const probeFile = probe ? join(probeDir, `probe-${process.pid}-${Date.now()}-${Math.floor(performance.now() * 1000)}.json`) : undefined;
  const nodeArgs = probe ? ['--import', PROBE.href, ...args] : args;
  return runProgram(process.execPath, nodeArgs, { cwd, env: { ...env, ...(probeFile && { REPORT_BENCH_PROBE: probeFile }) }, probeFile });
}

/** Run any program the same way (the peer's python), timed from spawn to exit. */
export function runProgram(program, args, { cwd, env = {}, probeFile } = {}) {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(program, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      running.delete(child);
      const result = { ms, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (probeFile && existsSync(probeFile)) {
        Object.assign(result, JSON.parse(readFileSync(probeFile, 'utf8')));
        rmSync(probeFile, { force: true });
      }
      resolvePromise(result);
    });
  });
}

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** A failed run, described for a person: the exit, then the end of stderr. */
export function describeFailure(label, run) {
  const how = run.signal ? `killed by ${run.signal}` : `exit code ${run.code}`;
  const tail = (run.stderr || run.stdout).trim().split('\n').slice(-15).join('\n');
  return `${label}: ${how}\n${tail}`;
}
