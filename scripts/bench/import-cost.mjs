#!/usr/bin/env node
/**
 * What a cold `report validate` of one file spends its time on, in two views (medians
 * over fresh processes):
 *  - stages: `node -e ''`, an empty ES module, `report --version` (the CLI shell:
 *    commander, messages) and `report validate FILE`; each difference is one stage's cost;
 *  - each package and each dist/ module imported alone in a fresh process, with
 *    everything it imports (modules that run something when imported are skipped).
 *
 *   node scripts/bench/import-cost.mjs [--reps 7] [FILE]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './run.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'report.js');
const PACKAGES = ['commander', 'chalk', 'yaml', 'zod', 'exceljs'];
/** dist/ modules that do something when imported: the entry and the CLI run a command, the worker waits for jobs. */
const SIDE_EFFECTS = new Set(['start.js', 'cli.js', 'worker.js']);

function distModules(dir = join(ROOT, 'dist')) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return distModules(path);
    const rel = relative(join(ROOT, 'dist'), path).replace(/\\/g, '/');
    return e.name.endsWith('.js') && !SIDE_EFFECTS.has(rel) ? [rel] : [];
  });
}

function timeSpawn(args) {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  return { ms: performance.now() - start, code: r.status };
}

/** Wall time of each stage of a cold run, interleaved so a busy moment hits every stage alike. */
export function stageCosts(reps, file) {
  const scratch = mkdtempSync(join(tmpdir(), 'report-import-cost-'));
  const empty = join(scratch, 'empty.mjs');
  writeFileSync(empty, '');
  const stages = [
    ['`node -e \'\'`', ['-e', '']],
    ['`node empty.mjs` (ES module entry)', [empty]],
    ['`report --version` (CLI shell: commander, messages)', [BIN, '--version']],
    ['`report validate FILE`', [BIN, 'validate', file]],
  ];
  const times = stages.map(() => []);
  try {
    for (const [, args] of stages) timeSpawn(args); // warm-up: file cache
    for (let i = 0; i < reps; i++) stages.forEach(([, args], s) => times[s].push(timeSpawn(args).ms));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return stages.map(([label], s) => ({ label, ms: median(times[s]), min: Math.min(...times[s]) }));
}

/** Each package and dist/ module alone in a fresh process: its import cost including what it imports. */
export function isolatedCosts(reps) {
  const targets = [...PACKAGES.map((p) => [p, p]), ...distModules().map((m) => [`dist/${m}`, pathToFileURL(join(ROOT, 'dist', m)).href])];
  return targets.map(([label, specifier]) => {
    const times = [];
    for (let i = 0; i < reps; i++) {
      const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      if (r.status !== 0) return { label, ms: undefined };
      times.push(Number(r.stdout.trim()));
    }
    return { label, ms: median(times) };
  });
}

export function formatCosts(stages, isolated) {
  const lines = [
    'Stages of a cold run (wall time; each row includes the ones above it; the minimum is the least disturbed by other load):',
    '',
    '| stage | median ms | min ms | added (min) |',
    '|---|---:|---:|---:|',
  ];
  const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
  stages.forEach((s, i) => lines.push(`| ${s.label} | ${s.ms.toFixed(1)} | ${s.min.toFixed(1)} | ${i ? signed(s.min - stages[i - 1].min) : ''} |`));
  lines.push('', 'Each import alone in a fresh process (time of the `import()`, median, including what it imports):', '', '| module | ms |', '|---|---:|');
  for (const r of isolated) lines.push(`| ${r.label} | ${r.ms === undefined ? 'n/a' : r.ms.toFixed(1)} |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--reps');
  const reps = at >= 0 ? Number(args[at + 1]) : 7;
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--reps') ?? 'data/submissions/区市场监管局.yaml';
  console.log(formatCosts(stageCosts(reps, file), isolatedCosts(reps)));
}
