/**
 * Run the built CLI as a separate process, the way a clerk runs it, and capture
 * what it says. Colours are off (NO_COLOR) so output can be compared as text.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { REPO } from './paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process was killed by a signal. */
  signal: NodeJS.Signals | null;
}

export interface CliOptions {
  /** Working directory; the repository root by default. */
  cwd?: string;
  /** Extra environment variables (merged over the test's own environment). */
  env?: Record<string, string | undefined>;
  /** Arguments for node itself, before the script (e.g. ['--import', preload]). */
  nodeArgs?: string[];
  input?: string;
  /** Run as this user and group (the tests run as root in CI, and root may read any file). */
  user?: { uid: number; gid: number };
}

/** The child's environment: the test's, without colours, and with the language only when the test sets it. */
function childEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
  // The language comes from the test, never from the developer's shell.
  if (!options.env || !('REPORT_LANG' in options.env)) delete env.REPORT_LANG;
  // A cache of this test file's own, so no run depends on what another left behind.
  if (!options.env || !('REPORT_CACHE_DIR' in options.env)) env.REPORT_CACHE_DIR = testCache();
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env as NodeJS.ProcessEnv;
}

/**
 * The program to run, and where: the repository's, or, for a run as another user, a copy that
 * user can read (a clone may sit below a folder only its owner may enter, as mktemp -d makes).
 */
function program(options: CliOptions): { bin: string; cwd: string } {
  const root = options.user ? (readableCopy ??= packageCopy()) : REPO;
  return { bin: join(root, 'bin', 'report.js'), cwd: options.cwd ?? root };
}
let readableCopy: string | undefined;

/**
 * A copy of the built program with what validate, status and init read (bin, dist, data,
 * package.json), in a temporary folder anyone may read; removed after the test file.
 */
export function packageCopy(): string {
  const root = tempDir('report-program-');
  chmodSync(root, 0o755);
  for (const part of ['bin', 'dist', 'data', 'package.json']) cpSync(join(REPO, part), join(root, part), { recursive: true });
  return root;
}

/** `report <args>` → exit code, stdout and stderr. Never throws on a non-zero exit. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const { bin, cwd } = program(options);
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], {
    cwd,
    env: childEnv(options),
    encoding: 'utf8',
    input: options.input,
    ...options.user,
    timeout: 150_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

/**
 * The same, without blocking: for `it.concurrent`, so several CLIs run at once
 * (each is a separate node process; a test file would otherwise run them one by one).
 */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { bin, cwd } = program(options);
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], {
      cwd,
      env: childEnv(options),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...options.user,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill(), 150_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

function parseJsonOutput<T>(result: CliResult): CliResult & { json: T } {
  try {
    return { ...result, json: JSON.parse(result.stdout) as T };
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

/** Run with `--json` added and parse stdout (throws with the output when it is not JSON). */
export function runCliJson<T = unknown>(args: string[], options: CliOptions = {}): CliResult & { json: T } {
  return parseJsonOutput<T>(runCli([...args, '--json'], options));
}

/** runCliJson without blocking. */
export async function runCliJsonAsync<T = unknown>(args: string[], options: CliOptions = {}): Promise<CliResult & { json: T }> {
  return parseJsonOutput<T>(await runCliAsync([...args, '--json'], options));
}

const created: string[] = [];
let cacheDir: string | undefined;
const testCache = () => (cacheDir ??= tempDir('report-cache-'));
// One clean-up per test file (each file gets its own copy of this module).
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. Safe to call inside a test. */
export function tempDir(prefix = 'report-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A temporary copy of a folder (fixtures are never modified in place). */
export function tempCopy(source: string, prefix = 'report-test-'): string {
  const dir = join(tempDir(prefix), 'copy');
  cpSync(source, dir, { recursive: true });
  return dir;
}

/** The shape `report validate --json` prints. */
export interface ValidateJson {
  files: {
    file: string;
    department: string | null;
    ok: boolean;
    diagnostics: { severity: 'error' | 'warning'; code: string; message: string; line?: number; column?: number; sheet?: string; cell?: string; path?: (string | number)[] }[];
  }[];
}

/** The shape `report status --json` prints (the fields the tests rely on). */
export interface StatusJson {
  deadline: string;
  asOf: string;
  remainingMs: number;
  departments: {
    id: string;
    name: string;
    state: 'submitted' | 'late' | 'invalid' | 'duplicate' | 'missing';
    files: string[];
    submittedAt: string | null;
    submittedAtSource?: 'file' | 'mtime' | null;
    filledBy?: string | null;
    errorCount?: number;
    contact: { name: string; phone: string };
  }[];
  unknownFiles: { file: string; reason: string }[];
  uncoveredTasks: { no: number; category: string; title: string; departments: string[] }[];
  reminders?: { id: string; name: string; text: string }[];
}
