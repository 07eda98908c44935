/**
 * V8's code cache for dist/ (src/code-cache.ts): the build's cache serves the first validate,
 * and a cache that does not fit — damaged, from another Node, of another source — is
 * refused by V8 and costs only the compile, never the result.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { cacheFileOf, useCodeCache } from '../src/code-cache.js';
import { packageCopy, runCli, tempDir } from './helpers/exec.js';

const FILE = join('data', 'submissions', '区市场监管局.yaml');

/** What the run's code cache did, from REPORT_CODE_CACHE=show's line. */
function shown(stderr: string): { accepted: string[]; rejected: string[]; missing: string[] } {
  const line = /^code cache: (.+)$/m.exec(stderr);
  expect(line, stderr).not.toBeNull();
  return JSON.parse(line![1]!);
}

describe('the built program', () => {
  it('is compiled from the build’s code cache on a first validate: every file of dist/ it loads', () => {
    const r = runCli(['validate', FILE], { env: { REPORT_CODE_CACHE: 'show' } });
    expect(r.code, r.stderr).toBe(0);
    const use = shown(r.stderr);
    expect(use.rejected).toEqual([]);
    expect(use.missing).toEqual([]);
    expect(use.accepted).toContain('cli.js');
    expect(use.accepted.some((f) => /^validate-[\w-]+\.js$/.test(f))).toBe(true);
    expect(use.accepted.some((f) => /^zod-[\w-]+\.js$/.test(f))).toBe(true);
  });

  it('gives the same result when every cache file is damaged inside (V8 would crash on it): compiled afresh', () => {
    // A copy of the package (what validate needs), so the real dist/ stays as built.
    const root = packageCopy();
    const cacheDir = join(root, 'dist', 'code-cache');
    const damaged = readdirSync(cacheDir);
    expect(damaged.length).toBeGreaterThan(10);
    for (const name of damaged) {
      const bytes = readFileSync(join(cacheDir, name));
      // Past the headers (ours, 8 bytes, and V8's): what V8 itself does not check.
      bytes.fill(0x5a, 200, Math.min(bytes.length, 4096));
      writeFileSync(join(cacheDir, name), bytes);
    }
    const env = { ...process.env, NO_COLOR: '1', REPORT_CODE_CACHE: 'show', REPORT_CACHE_DIR: join(root, 'check-cache') };
    const copy = spawnSync(process.execPath, [join(root, 'bin', 'report.js'), 'validate', FILE], { cwd: root, env, encoding: 'utf8' });
    const real = runCli(['validate', FILE]);
    expect(copy.status, copy.stderr).toBe(0);
    expect(copy.stdout).toBe(real.stdout);
    const use = shown(copy.stderr);
    expect(use.accepted).toEqual([]);
    expect(use.rejected).toContain('cli.js');
  });
});

describe('useCodeCache', () => {
  /** A folder of two CommonJS files, one requiring the other, loaded through a fresh require. */
  function program(source = 'module.exports = (n) => n * 2;') {
    const dir = tempDir('report-cc-unit-');
    writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(join(dir, 'main.js'), "const double = require('./double.js');\nmodule.exports = { twelve: double(6), file: __filename, dir: __dirname };\n");
    writeFileSync(join(dir, 'double.js'), source);
    return dir;
  }
  /** Loads main.js of `dir` with the cache of `cacheDir`; returns its exports and what the cache did. */
  function load(dir: string, cacheDir: string, save = false, build = 'build 1') {
    const use = useCodeCache(dir, cacheDir, build);
    try {
      const exports = createRequire(join(dir, 'x.js'))('./main.js') as { twelve: number; file: string; dir: string };
      if (save) use.save();
      return { exports, use };
    } finally {
      use.uninstall();
    }
  }

  it('compiles without a cache, writes one, and is compiled from it the next time', () => {
    const dir = program();
    const cacheDir = join(dir, 'cache');
    const first = load(dir, cacheDir, true);
    expect(first.exports).toEqual({ twelve: 12, file: join(dir, 'main.js'), dir });
    expect(first.use.missing.sort()).toEqual(['double.js', 'main.js']);
    expect(readdirSync(cacheDir).sort()).toEqual(['double.js.bin', 'main.js.bin']);

    // A second program in a new folder with the same files and that cache (require caches by path).
    const again = program();
    const second = load(again, cacheDir);
    expect(second.exports.twelve).toBe(12);
    expect(second.use.accepted.sort()).toEqual(['double.js', 'main.js']);
  });

  it('does not use a cache made by another build, even for the same files', () => {
    const cacheDir = join(tempDir('report-cc-unit-'), 'cache');
    load(program(), cacheDir, true);
    const run = load(program(), cacheDir, false, 'build 2');
    expect(run.exports.twelve).toBe(12);
    expect(run.use.rejected.sort()).toEqual(['double.js', 'main.js']);
  });

  it('lets V8 refuse a cache made for another source and runs the file as it is', () => {
    const cacheDir = join(tempDir('report-cc-unit-'), 'cache');
    load(program(), cacheDir, true);
    const changed = program('module.exports = (n) => n * 2 + 1; // changed after the cache was made');
    const run = load(changed, cacheDir);
    expect(run.exports.twelve).toBe(13);
    expect(run.use.rejected).toEqual(['double.js']);
    expect(run.use.accepted).toEqual(['main.js']);
  });

  it('does not hand V8 a cache damaged past its header (V8 would deserialise it and crash)', () => {
    const cacheDir = join(tempDir('report-cc-unit-'), 'cache');
    load(program(), cacheDir, true);
    const file = cacheFileOf(cacheDir, 'double.js');
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100);
    writeFileSync(file, bytes);
    // What reaches V8: whether V8 then refuses this damage or crashes on it depends on where it falls,
    // so the test looks at what it is handed, and keeps the damaged cache from it (a crash is no test failure to read).
    const handed: string[] = [];
    const Script = vm.Script;
    const spy = vi.spyOn(vm, 'Script').mockImplementation(function (code: string, options?: vm.ScriptOptions) {
      if (!options?.cachedData) return new Script(code, options);
      handed.push(basename(options.filename ?? ''));
      const { cachedData, ...rest } = options;
      return new Script(code, basename(options.filename ?? '') === 'double.js' ? rest : { ...rest, cachedData });
    } as unknown as typeof vm.Script);
    let run: ReturnType<typeof load>;
    try {
      run = load(program(), cacheDir);
    } finally {
      spy.mockRestore();
    }
    expect(handed).toEqual(['main.js']);
    expect(run.exports.twelve).toBe(12);
    expect(run.use.rejected).toEqual(['double.js']);
    expect(run.use.accepted).toEqual(['main.js']);
  });

  it('refuses a cache that is not one', () => {
    const dir = program();
    const cacheDir = join(dir, 'cache');
    mkdirSync(cacheDir);
    writeFileSync(cacheFileOf(cacheDir, 'main.js'), 'not a code cache');
    const run = load(dir, cacheDir);
    expect(run.exports.twelve).toBe(12);
    expect(run.use.rejected).toEqual(['main.js']);
    expect(run.use.missing).toEqual(['double.js']);
  });

  it('leaves files outside its folder to Node', () => {
    const dir = program();
    const run = load(dir, join(dir, 'cache'));
    const other = program();
    // After uninstall and for another folder: Node's own compile, nothing recorded.
    const use = useCodeCache(dir, join(dir, 'cache'), 'build 1');
    try {
      expect((createRequire(join(other, 'x.js'))('./main.js') as { twelve: number }).twelve).toBe(12);
      expect([...use.accepted, ...use.rejected, ...use.missing]).toEqual([]);
    } finally {
      use.uninstall();
    }
    expect(run.use.missing.sort()).toEqual(['double.js', 'main.js']);
  });
});
