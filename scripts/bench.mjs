#!/usr/bin/env node
/**
 * `npm run bench`: the tool at city and province scale.
 *
 * Generates, from a fixed seed, a campaign of 1,000 units and one full submission per
 * unit in a fresh temporary folder, checks that they validate, then runs each command
 * as its own process (`node bin/report.js …`) and prints wall time, CPU time and peak
 * RSS against the targets; beside merge, the peer (PyYAML + openpyxl, scripts/bench/peer.py)
 * on the same data; then 100 to 3,000 units for the scaling curve (docs/scaling.png). A
 * missed target is a measurement, not a failure: the exit code is 0 unless a run crashed or
 * exited with an unexpected code, or the generated data did not validate.
 *
 *   node scripts/bench.mjs [--keep] [--reps 10] [--runs 3] [--units 1000] [--cases 50] [--seed S]
 *                          [--profile] [--only startup,validate,status,merge,peer,pack,workbooks,scale,district,serve]
 *
 * --reps: runs of each side of the startup ratio (median); --runs: runs of each big
 * command (median wall and CPU time, highest peak RSS); --keep: keep the temporary
 * folder; --profile: also CPU-profile each command and break down the startup.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from './bench/generate.mjs';
import { generateWorkbooks } from './bench/workbooks.mjs';
import { describeFailure, median, runNode, runProgram, running } from './bench/run.mjs';
import { writeScalingPlot } from './bench/plot.mjs';
import { measureServe } from './bench/serve.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'report.js');
const DISTRICT_CAMPAIGN = join(ROOT, 'data', 'campaign.yaml');
const DISTRICT_DIR = join(ROOT, 'data', 'submissions');
const DISTRICT_FILE = 'data/submissions/区市场监管局.yaml';
/** The demo's fill-in workbook (issue 10). */
const WORKBOOK_FILE = 'data/submissions/区委网信办.xlsx';
/** Before the deadline, so the synthetic submissions are all 已报送 and the run is reproducible. */
const AS_OF = '2024-11-12T18:00+08:00';
const SECTIONS = ['startup', 'validate', 'status', 'merge', 'peer', 'pack', 'workbooks', 'scale', 'district', 'serve'];
/** Units of the scaling runs: a city, a big city, a province, about every county of the country. */
const SCALE_UNITS = [100, 300, 1000, 3000];
const PEER = join(ROOT, 'scripts', 'bench', 'peer.py');
const DEBIAN_PYTHON = '/usr/bin/python3';

const TARGETS = {
  ratioCold: 2.0,
  ratioCached: 1.8,
  validateMs: 5_000,
  statusMs: 3_000,
  mergeMs: 20_000,
  mergeRssKiB: 1024 * 1024,
  /** merge against the peer (PyYAML + openpyxl) at 1,000 units. */
  peerTime: 0.33,
  peerRss: 1.0,
  /** At 3,000 units (first runs): */
  scaleValidateMs: 12_000,
  scaleStatusMs: 8_000,
  scaleMergeMs: 40_000,
  scaleMergeRssKiB: 1024 * 1024,
  /** Cost per unit at 3,000 within this factor of that at 300. */
  linearity: 1.3,
  /** pack: at most this many times merge's wall time on the same data (issue 11). */
  packRatio: 2,
  packRssKiB: 1024 * 1024,
  // Issue 10: fill-in workbooks.
  ratioWorkbook: 4.0,
  workbookStatusMs: 10_000,
  workbookStatusCachedMs: 3_000,
  workbookMergeMs: 30_000,
  // Issue 23: report serve on this 2-core machine.
  serveP95Ms: 2_000,
  serveVideoRssKiB: 300 * 1024,
};

function parseArgs(argv) {
  const options = { keep: false, reps: 10, runs: 3, units: 1000, cases: 50, seed: 'report-bench-2024', profile: false, only: SECTIONS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--keep') options.keep = true;
    else if (a === '--profile') options.profile = true;
    else if (a === '--reps') options.reps = positive(value(), a);
    else if (a === '--runs') options.runs = positive(value(), a);
    else if (a === '--units') options.units = positive(value(), a);
    else if (a === '--cases') options.cases = positive(value(), a);
    else if (a === '--seed') options.seed = value();
    else if (a === '--only') {
      options.only = value().split(',').map((s) => s.trim());
      const unknown = options.only.filter((s) => !SECTIONS.includes(s));
      if (unknown.length) usage(`unknown section ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
    } else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  return options;
}

function positive(v, flag) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) usage(`${flag} must be a positive integer`);
  return n;
}

function usage(problem) {
  if (problem) console.error(`bench: ${problem}`);
  console.error('usage: node scripts/bench.mjs [--keep] [--reps N] [--runs N] [--units N] [--cases N] [--seed S] [--profile] [--only startup,validate,status,merge,peer,pack,workbooks,scale,district,serve]');
  process.exit(problem ? 2 : 0);
}

const log = (text) => process.stdout.write(`${text}\n`);
const ms = (v) => (v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const mib = (kib) => (kib === undefined ? '–' : `${(kib / 1024).toFixed(0)} MiB`);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Problems that make the run fail (exit 1): crashes, unexpected exit codes, invalid data. */
const failures = [];
/** Rows of the result table. */
const rows = [];

function fail(message) {
  failures.push(message);
  log(`\n✘ FAILED  ${message}\n`);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() || 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** A stack trace on stderr: the CLI prints one only for a bug, whatever the exit code. */
const hasStack = (run) => /^\s+at .+(:\d+:\d+\)?|\(native\))$/m.test(run.stderr);

/**
 * Run one command `runs` times as its own process, with the RSS probe. Returns the median
 * wall and CPU time, the highest peak RSS and the last run; undefined (and a failure) when
 * any run exits with a code not in `expected` or is killed.
 */
async function measure(label, args, { cwd, runs, probeDir, expected, before, env }) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const run = await runNode(args, { cwd, probeDir, probe: true, env: typeof env === 'function' ? env() : env });
    if (!expected.includes(run.code) || hasStack(run)) {
      fail(describeFailure(`${label} (expected exit ${expected.join(' or ')}, no stack trace)`, run));
      return undefined;
    }
    results.push(run);
  }
  return {
    ms: median(results.map((r) => r.ms)),
    cpuMs: results.every((r) => r.cpuMs !== undefined) ? median(results.map((r) => r.cpuMs)) : undefined,
    maxRssKiB: results.every((r) => r.maxRssKiB !== undefined) ? Math.max(...results.map((r) => r.maxRssKiB)) : undefined,
    spread: runs > 1 ? `${runs} runs: ${results.map((r) => ms(r.ms)).join(', ')}` : '',
    last: results.at(-1),
    cjsPackages: [...new Set(results.flatMap((r) => r.cjsPackages ?? []))],
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
    console.error('bench: dist/cli.js is missing; run `npm run build` first (or `npm run bench`, which builds).');
    process.exit(2);
  }
  const m = machine();
  log(`report benchmark · ${m.date}`);
  log(`machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}, ${m.platform}, Node ${m.node}`);
  log(`load average at start: ${loadavg()}`);

  const tmp = mkdtempSync(join(os.tmpdir(), 'report-bench-'));
  // Ctrl-C or a closed pipe (`… | head`) must not leave 45 MiB behind in the temporary folder.
  const cleanUp = () => {
    for (const child of running) child.kill();
    if (!options.keep) rmSync(tmp, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      cleanUp();
      process.exit(130);
    });
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    cleanUp();
    process.exit(0);
  });
  const probeDir = join(tmp, 'probes');
  mkdirSync(probeDir);
  const only = new Set(options.only);
  const { runs } = options;
  // The tool keeps each file's check by content hash. "First run" rows start every run with an
  // empty cache (a folder seen for the first time); "cached" rows reuse the cache of unchanged files.
  const warmCache = { REPORT_CACHE_DIR: join(tmp, 'cache-warm') };
  let coldRuns = 0;
  const coldCache = () => ({ REPORT_CACHE_DIR: join(tmp, `cache-cold-${++coldRuns}`) });
  let data;
  /** merge's median wall time in this run: pack's target is a multiple of it. */
  let mergeMs;
  try {
    // 1. The data, which must pass `report validate` with no errors.
    if (['validate', 'status', 'merge', 'peer', 'pack', 'workbooks', 'serve'].some((s) => only.has(s))) {
      const t = performance.now();
      data = generateDataset({ root: tmp, realCampaignFile: DISTRICT_CAMPAIGN, units: options.units, casesPerUnit: options.cases, seed: options.seed });
      log(
        `\ngenerated in ${ms(performance.now() - t)} under ${tmp}:\n` +
          `  ${data.files.length} units × ${data.tasks} tasks, ${data.indicators} indicators, ${data.caseRows.toLocaleString('en')} case rows, ` +
          `${(data.bytes / 1024 ** 2).toFixed(1)} MiB of YAML (+ ${data.files.length * 2} material files)\n` +
          `  seed "${options.seed}", data SHA-256 ${data.sha256.slice(0, 16)}… (the same on every run of this seed)`,
      );
      // Also warms the OS file cache, and fills the tool's check cache used by the "cached" rows.
      const check = await runNode([BIN, 'validate', '--json', '--campaign', data.campaignFile, ...data.files], { cwd: data.dir, probeDir, env: warmCache });
      assertValid(check, data);
    }

    // 2. Cold start: one district file beside a bare node.
    if (only.has('startup')) await measureStartup(options.reps, probeDir, tmp);

    // 3. The 1,000 units.
    const units = data?.files.length.toLocaleString('en');
    if (only.has('validate')) {
      for (const [cache, env] of [['first run', coldCache], ['cached', warmCache]]) {
        log(`validate: ${units} files, ${cache} × ${runs} …`);
        const label = `validate ${units} files (${cache})`;
        const target = `≤ ${ms(TARGETS.validateMs)}`;
        const r = await measure(label, [BIN, 'validate', '--campaign', data.campaignFile, ...data.files], { cwd: data.dir, runs, probeDir, expected: [0], env });
        if (r) addRow(label, r, target, r.ms <= TARGETS.validateMs, r.spread);
        else addFailedRow(label, target);
      }
    }
    if (only.has('status')) {
      for (const [cache, env] of [['first run', coldCache], ['cached', warmCache]]) {
        log(`status: the folder, ${cache} × ${runs} …`);
        const label = `status of ${units} files (${cache})`;
        const target = `≤ ${ms(TARGETS.statusMs)}, no exceljs`;
        // Exit 1 means "not every department is in": valid, but not what these data give.
        const r = await measure(label, [BIN, 'status', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF], { cwd: tmp, runs, probeDir, expected: [0, 1], env });
        if (r) {
          if (r.last.code === 1) log('  note: status exited 1 (not every department is 已报送), which these data should not give');
          const noExceljs = !r.cjsPackages.includes('exceljs');
          addRow(label, r, target, r.ms <= TARGETS.statusMs && noExceljs, [noExceljs ? 'exceljs not loaded' : 'exceljs LOADED', r.spread].filter(Boolean).join('; '));
        } else addFailedRow(label, target);
      }
    }
    if (only.has('merge')) {
      log(`merge: the folder × ${runs} …`);
      const label = `merge of ${units} files`;
      const target = `≤ ${ms(TARGETS.mergeMs)}, ≤ 1 GiB`;
      const out = join(tmp, 'out', 'merged.xlsx');
      const args = [BIN, 'merge', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF, '--out', out];
      // First-run cache: the merge is measured with every file checked anew.
      const r = await measure(label, args, { cwd: tmp, runs, probeDir, expected: [0], before: () => rmSync(out, { force: true }), env: coldCache });
      if (r && hasOutput(label, out)) {
        const note = [`${(statSync(out).size / 1024 ** 2).toFixed(1)} MiB xlsx`, r.spread].filter(Boolean).join('; ');
        addRow(label, r, target, r.ms <= TARGETS.mergeMs && r.maxRssKiB <= TARGETS.mergeRssKiB, note);
        await checkWorkbook(out, data.caseRows);
        mergeMs = r.ms;
      } else addFailedRow(label, target);
    }
    if (only.has('pack')) {
      log(`pack: the folder × ${runs} …`);
      const label = `pack of ${units} files`;
      const target = mergeMs ? `≤ ${ms(TARGETS.packRatio * mergeMs)} (${TARGETS.packRatio} × merge), ≤ 1 GiB` : `≤ ${TARGETS.packRatio} × merge, ≤ 1 GiB`;
      const outDir = join(tmp, 'out-pack');
      const args = [BIN, 'pack', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF, '--out', outDir];
      // Like merge: every file checked anew, and no previous package to replace.
      const r = await measure(label, args, { cwd: tmp, runs, probeDir, expected: [0], before: () => rmSync(outDir, { recursive: true, force: true }), env: coldCache });
      const zip = existsSync(outDir) ? readdirSync(outDir).find((f) => f.endsWith('.zip')) : undefined;
      if (r && zip) {
        const ratio = mergeMs ? `${(r.ms / mergeMs).toFixed(2)} × merge` : 'merge not measured in this run';
        const note = [ratio, `${(statSync(join(outDir, zip)).size / 1024 ** 2).toFixed(1)} MiB zip`, r.spread].filter(Boolean).join('; ');
        addRow(label, r, target, mergeMs ? r.ms <= TARGETS.packRatio * mergeMs && r.maxRssKiB <= TARGETS.packRssKiB : undefined, note);
      } else {
        if (r) fail(`${label}: exit 0 but no zip in ${outDir}`);
        addFailedRow(label, target);
      }
      const chart = await runNode([join(ROOT, 'scripts', 'bench', 'chart-cost.mjs')], { cwd: ROOT });
      try {
        const c = JSON.parse(chart.stdout);
        log(`  chart of the district (${c.labels} labels): import resvg ${ms(c.importMs)}, draw ${ms(c.drawMs)}, render ${ms(c.renderMs)} (labels as text: ${ms(c.renderAsTextMs)})`);
      } catch {
        fail(describeFailure('chart-cost', chart));
      }
    }

    // 3b. The peer: what an IT colleague would write instead, on the same data.
    if (only.has('peer')) await measurePeer(data, { tmp, runs, probeDir, coldCache });

    // 4. The same 1,000 units as fill-in workbooks (issue 10).
    if (only.has('workbooks')) await measureWorkbooks(data, { tmp, runs, probeDir, coldCache });

    // 4a. The collection server (issue 23): 1,000 links, 200 uploads at once, a 2 GB video.
    if (only.has('serve')) {
      log('\nserve: 1,000 links, 200 concurrent workbook uploads, one 2 GB video …');
      const dir = join(tmp, 'workbooks');
      // Only the 200 that upload are made (about two seconds each on this machine); the workbooks section's, when it ran.
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.xlsx')) : await generateWorkbooks({ bin: BIN, data: { ...data, files: data.files.slice(0, 200) }, outDir: dir });
      await measureServe({ bin: BIN, tmp, data, workbooksDir: dir, workbookNames: files, addRow, addFailedRow, log, targets: TARGETS });
    }

    // 4b. How cost grows: 100 to 3,000 units.
    if (only.has('scale')) await measureScale(options, { tmp, probeDir });

    // 5. The bundled district, for scale (no target).
    if (only.has('district')) {
      log('district: status and merge of data/submissions …');
      const status = await measure('district status', [BIN, 'status', '--campaign', DISTRICT_CAMPAIGN, '--dir', DISTRICT_DIR, '--as-of', AS_OF], { cwd: ROOT, runs: 1, probeDir, expected: [0, 1] });
      if (status) addRow('district status (7 units)', status, '–', undefined, status.last.code === 1 ? 'exit 1: the sample has a unit missing' : '');
      else addFailedRow('district status (7 units)', '–');
      const out = join(tmp, 'out', 'district.xlsx');
      const merge = await measure('district merge', [BIN, 'merge', '--campaign', DISTRICT_CAMPAIGN, '--dir', DISTRICT_DIR, '--as-of', AS_OF, '--out', out], { cwd: ROOT, runs: 1, probeDir, expected: [0] });
      if (merge && hasOutput('district merge', out)) addRow('district merge (7 units)', merge, '–');
      else addFailedRow('district merge (7 units)', '–');
    }

    log(`\nload average at end: ${loadavg()}`);
    log(`\n${formatTable()}`);

    if (options.profile) await profile(data, tmp);
  } catch (error) {
    fail(`bench: ${error.message}`);
  } finally {
    if (options.keep) log(`\nkept ${tmp}`);
    else cleanUp();
  }

  if (failures.length) {
    log(`\n✘ ${failures.length} problem(s): a run crashed, exited with an unexpected code, or the data were wrong; see above.`);
    process.exitCode = 1;
  }
}

/**
 * merge and the peer (scripts/bench/peer.py: PyYAML's C loader + openpyxl, the statistics
 * table with SUM totals, the cases and the task texts; no checks, no template), alternately
 * on the same data; merge's time and peak memory as ratios to the peer's.
 */
async function measurePeer(data, { tmp, runs, probeDir, coldCache }) {
  const ready = existsSync(DEBIAN_PYTHON) && (await runProgram(DEBIAN_PYTHON, ['-c', 'import yaml, openpyxl; yaml.CSafeLoader'], {})).code === 0;
  if (!ready) {
    log('peer: skipped — needs Debian\'s python3 with PyYAML (its C loader) and openpyxl: apt-get install python3-yaml python3-openpyxl');
    rows.push({ label: 'merge / peer (PyYAML + openpyxl)', wall: '–', cpu: '', rss: '–', target: `≤ ${TARGETS.peerTime} × time, ≤ ${TARGETS.peerRss} × memory`, verdict: '', note: 'skipped: python3-yaml and python3-openpyxl are not installed' });
    return;
  }
  log(`peer: merge and the peer script, alternately × ${runs} …`);
  const out = join(tmp, 'out', 'peer.xlsx');
  const merged = join(tmp, 'out', 'merged-peer.xlsx');
  const peer = [];
  const ours = [];
  for (let i = 0; i < runs; i++) {
    rmSync(merged, { force: true });
    const m = await runNode([BIN, 'merge', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF, '--out', merged], { cwd: tmp, probeDir, probe: true, env: coldCache() });
    if (m.code !== 0) return void fail(describeFailure('merge (beside the peer)', m));
    ours.push(m);
    const p = await runProgram(DEBIAN_PYTHON, [PEER, data.campaignFile, data.dir, out], { cwd: tmp });
    if (p.code !== 0) return void fail(describeFailure('peer', p));
    peer.push({ ...p, ...JSON.parse(p.stdout.trim().split('\n').at(-1)) });
  }
  const summary = (list) => ({ ms: median(list.map((r) => r.ms)), cpuMs: median(list.map((r) => r.cpuMs)), maxRssKiB: Math.max(...list.map((r) => r.maxRssKiB)) });
  const p = summary(peer);
  const m = summary(ours);
  addRow(`peer: PyYAML (C loader) + openpyxl, ${data.files.length.toLocaleString('en')} units`, p, '–', undefined, `${(statSync(out).size / 1024 ** 2).toFixed(1)} MiB xlsx; ${runs} runs: ${peer.map((r) => ms(r.ms)).join(', ')}`);
  addRow(`merge beside the peer`, m, '–', undefined, `${runs} runs: ${ours.map((r) => ms(r.ms)).join(', ')}`);
  const time = m.ms / p.ms;
  const rss = m.maxRssKiB / p.maxRssKiB;
  rows.push({ label: 'ratio: merge / peer, time', wall: `${time.toFixed(2)} ×`, cpu: '', rss: '', target: `≤ ${TARGETS.peerTime}`, verdict: time <= TARGETS.peerTime ? 'PASS' : 'MISS', note: '' });
  rows.push({ label: 'ratio: merge / peer, peak memory', wall: '', cpu: '', rss: `${rss.toFixed(2)} ×`, target: `≤ ${TARGETS.peerRss}`, verdict: rss <= TARGETS.peerRss ? 'PASS' : 'MISS', note: '' });
}

/**
 * validate, status and merge (each a first run: empty cache) at 100, 300, 1,000 and 3,000
 * units; the table, the per-unit cost at the largest against the second-smallest, and
 * docs/scaling.json and docs/scaling.png.
 */
async function measureScale(options, { tmp, probeDir }) {
  const results = [];
  for (const units of SCALE_UNITS) {
    log(`scale: ${units.toLocaleString('en')} units …`);
    const root = join(tmp, `scale-${units}`);
    const data = generateDataset({ root, realCampaignFile: DISTRICT_CAMPAIGN, units, casesPerUnit: options.cases, seed: options.seed });
    const fresh = () => ({ REPORT_CACHE_DIR: join(root, `cache-${Math.random().toString(36).slice(2)}`) });
    const result = { units };
    const run = async (name, args, expected, cwd) => {
      const r = await runNode(args, { cwd, probeDir, probe: true, env: fresh() });
      if (!expected.includes(r.code)) return void fail(describeFailure(`scale ${units} ${name}`, r));
      result[name] = { seconds: r.ms / 1000, mib: r.maxRssKiB / 1024 };
    };
    await run('validate', [BIN, 'validate', '--campaign', data.campaignFile, ...data.files], [0], data.dir);
    await run('status', [BIN, 'status', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF], [0, 1], root);
    await run('merge', [BIN, 'merge', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF, '--out', join(root, 'merged.xlsx')], [0], root);
    results.push(result);
    rmSync(root, { recursive: true, force: true });
  }
  const table = ['| units | validate | status | merge | merge peak |', '|---:|---:|---:|---:|---:|'];
  for (const r of results)
    table.push(`| ${r.units.toLocaleString('en')} | ${r.validate?.seconds.toFixed(2)} s | ${r.status?.seconds.toFixed(2)} s | ${r.merge?.seconds.toFixed(2)} s | ${Math.round(r.merge?.mib ?? 0)} MiB |`);
  log(`\n${table.join('\n')}\n`);
  const largest = results.at(-1);
  const second = results[1];
  const at = (name, limit) => {
    const r = largest?.[name];
    rows.push({ label: `${name} of ${largest.units.toLocaleString('en')} units (first run)`, wall: r ? ms(r.seconds * 1000) : '–', cpu: '', rss: r ? `${Math.round(r.mib)} MiB` : '–', target: `≤ ${ms(limit)}${name === 'merge' ? ', ≤ 1 GiB' : ''}`, verdict: r && r.seconds * 1000 <= limit && (name !== 'merge' || r.mib * 1024 <= TARGETS.scaleMergeRssKiB) ? 'PASS' : 'MISS', note: '' });
  };
  at('validate', TARGETS.scaleValidateMs);
  at('status', TARGETS.scaleStatusMs);
  at('merge', TARGETS.scaleMergeMs);
  for (const name of ['validate', 'status', 'merge']) {
    const a = second?.[name];
    const b = largest?.[name];
    if (!a || !b) continue;
    const perUnit = b.seconds / largest.units / (a.seconds / second.units);
    rows.push({ label: `${name}: time per unit at ${largest.units.toLocaleString('en')} / at ${second.units}`, wall: `${perUnit.toFixed(2)} ×`, cpu: '', rss: '', target: `≤ ${TARGETS.linearity}`, verdict: perUnit <= TARGETS.linearity ? 'PASS' : 'MISS', note: '' });
  }
  writeFileSync(join(ROOT, 'docs', 'scaling.json'), `${JSON.stringify({ machine: machine(), cases: options.cases, results }, null, 2)}\n`);
  const m = machine();
  await writeScalingPlot(results, join(ROOT, 'docs', 'scaling.png'), `${m.cores} cores, ${m.cpu}, Node ${m.node}, ${m.date.slice(0, 10)}; ${options.cases} cases per unit`);
  log('  wrote docs/scaling.json and docs/scaling.png');
}

function assertValid(check, data) {
  let report;
  try {
    report = JSON.parse(check.stdout);
  } catch {
    report = undefined;
  }
  if (![0, 1].includes(check.code) || !report) throw new Error(`could not validate the generated data.\n${describeFailure('validate --json', check)}`);
  const diagnostics = report.files.flatMap((f) => f.diagnostics.map((d) => ({ ...d, file: f.file })));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (report.files.length !== data.files.length || errors.length || check.code !== 0) {
    const first = errors.slice(0, 15).map((d) => `  ${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('\n');
    throw new Error(`the generated submissions do not pass \`report validate\` (${report.files.length} files checked, ${errors.length} errors, exit ${check.code}):\n${first}`);
  }
  const codes = [...new Set(warnings.map((d) => d.code))];
  log(`  report validate: ${report.files.length} files, 0 errors, ${warnings.length} warnings${codes.length ? ` (${codes.join(', ')})` : ''} ✔\n`);
}

function hasOutput(label, out) {
  if (existsSync(out) && statSync(out).size > 0) return true;
  fail(`${label}: exit 0 but no workbook at ${out}`);
  return false;
}

/** Excel's documented maximum number of characters in one cell. */
const EXCEL_CELL_LIMIT = 32_767;

/**
 * Rows per sheet of the merged workbook, read back with exceljs's streaming reader: every
 * case must be there. Cells longer than Excel allows are reported.
 */
async function checkWorkbook(file, caseRows) {
  let counts;
  const tooLong = [];
  try {
    const { default: ExcelJS } = await import('exceljs');
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' });
    counts = [];
    for await (const sheet of reader) {
      const name = sheet.name ?? `sheet ${counts.length + 1}`;
      let n = 0;
      for await (const row of sheet) {
        n++;
        row.eachCell((cell) => {
          const text = typeof cell.value === 'string' ? cell.value : cell.value?.richText?.map((r) => r.text).join('');
          if (text && text.length > EXCEL_CELL_LIMIT) tooLong.push(`${name}!${cell.address} (${text.length.toLocaleString('en')})`);
        });
      }
      counts.push({ name, rows: n });
    }
  } catch (error) {
    log(`  (could not read the workbook back: ${error.message})`);
    return;
  }
  log(`  read back: ${counts.map((c) => `${c.name} ${c.rows} rows`).join(', ')}`);
  const total = counts.reduce((s, c) => s + c.rows, 0);
  if (total < caseRows) fail(`merge: the workbook holds ${total} rows in all, fewer than the ${caseRows} cases`);
  // Not a failure of the run, but a defect of the output: Excel cannot hold such a cell.
  if (tooLong.length)
    log(`  ⚠ ${tooLong.length} cell(s) longer than Excel's limit of ${EXCEL_CELL_LIMIT.toLocaleString('en')} characters: ${tooLong.slice(0, 3).join(', ')}${tooLong.length > 3 ? ', …' : ''}`);
}

async function measureStartup(reps, probeDir, tmp) {
  log(`startup: ${reps} runs of each, interleaved (bare node, validate with an empty cache, validate cached), after 1 warm-up …`);
  const bare = ['-e', ''];
  const validate = [BIN, 'validate', DISTRICT_FILE];
  // An empty cache each time: the first run on a new machine (the campaign and the file are checked, zod loaded).
  let fresh = 0;
  const emptyCache = () => ({ REPORT_CACHE_DIR: join(tmp, `startup-empty-${++fresh}`) });
  const warmCache = { REPORT_CACHE_DIR: join(tmp, 'startup-warm') };
  const sides = [
    { label: 'bare `node -e \'\'`', args: bare, env: () => undefined, times: [] },
    { label: 'validate 1 district file, empty cache', args: validate, env: emptyCache, times: [], target: TARGETS.ratioCold },
    { label: 'validate 1 district file, cached', args: validate, env: () => warmCache, times: [], target: TARGETS.ratioCached },
    { label: 'validate 1 fill-in workbook, empty cache', args: [BIN, 'validate', WORKBOOK_FILE], env: emptyCache, times: [], target: TARGETS.ratioWorkbook },
  ];
  for (const side of sides) {
    const first = await runNode(side.args, { cwd: ROOT, env: side.env() });
    if (![0, 1].includes(first.code) || hasStack(first)) {
      fail(describeFailure(side.label, first));
      addFailedRow(side.label, '–');
      return;
    }
  }
  for (let i = 0; i < reps; i++)
    for (const side of sides) side.times.push((await runNode(side.args, { cwd: ROOT, env: side.env() })).ms);
  const spread = (times) => `min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}`;
  const bareMs = median(sides[0].times);
  for (const side of sides) {
    // Peak RSS and CPU in one more run each: the preload stays out of the timed runs.
    const probe = await runNode(side.args, { cwd: ROOT, probeDir, probe: true, env: side.env() });
    const excel = probe.cjsPackages?.includes('exceljs') ? '; exceljs LOADED' : '';
    addRow(`${side.label} (median of ${reps})`, { ms: median(side.times), cpuMs: probe.cpuMs, maxRssKiB: probe.maxRssKiB }, '–', undefined, `${spread(side.times)}${excel}`);
  }
  for (const side of sides.slice(1)) {
    const ratio = median(side.times) / bareMs;
    rows.push({ label: `ratio: ${side.label} / bare node`, wall: `${ratio.toFixed(2)} ×`, cpu: '', rss: '', target: `≤ ${side.target}`, verdict: ratio <= side.target ? 'PASS' : 'MISS', note: '' });
  }
}

/**
 * The generated units as fill-in workbooks (made by the CLI's own `init --all --format xlsx`,
 * then filled): status on the first run (empty cache) and unchanged (cached), and merge.
 */
async function measureWorkbooks(data, { tmp, runs, probeDir, coldCache }) {
  const dir = join(tmp, 'workbooks');
  const t = performance.now();
  const files = await generateWorkbooks({ bin: BIN, data, outDir: dir });
  rmSync(join(dir, '.blanks'), { recursive: true, force: true });
  const bytes = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  log(`
workbooks: ${files.length} fill-in workbooks (${(bytes / 1024 ** 2).toFixed(1)} MiB) made in ${ms(performance.now() - t)} under ${dir}`);
  const units = files.length.toLocaleString('en');
  const warm = { REPORT_CACHE_DIR: join(tmp, 'cache-workbooks') };
  const statusArgs = [BIN, 'status', '--dir', dir, '--campaign', data.campaignFile, '--as-of', AS_OF];
  // The warm cache is filled by one run first; "unchanged" is every run after it.
  await runNode(statusArgs, { cwd: tmp, env: warm });
  for (const [cache, env, limit] of [['first run', coldCache, TARGETS.workbookStatusMs], ['unchanged', warm, TARGETS.workbookStatusCachedMs]]) {
    log(`workbooks: status, ${cache} × ${runs} …`);
    const label = `status of ${units} fill-in workbooks (${cache})`;
    const target = `≤ ${ms(limit)}`;
    const r = await measure(label, statusArgs, { cwd: tmp, runs, probeDir, expected: [0], env });
    if (r) addRow(label, r, target, r.ms <= limit, [r.cjsPackages.includes('exceljs') ? 'exceljs LOADED' : 'exceljs not loaded', r.spread].filter(Boolean).join('; '));
    else addFailedRow(label, target);
  }
  log(`workbooks: merge × ${runs} …`);
  const label = `merge of ${units} fill-in workbooks`;
  const target = `≤ ${ms(TARGETS.workbookMergeMs)}, ≤ 1 GiB`;
  const out = join(tmp, 'out', 'merged-workbooks.xlsx');
  const args = [BIN, 'merge', '--dir', dir, '--campaign', data.campaignFile, '--as-of', AS_OF, '--out', out];
  const r = await measure(label, args, { cwd: tmp, runs, probeDir, expected: [0], before: () => rmSync(out, { force: true }), env: coldCache });
  if (r && hasOutput(label, out)) {
    addRow(label, r, target, r.ms <= TARGETS.workbookMergeMs && r.maxRssKiB <= TARGETS.mergeRssKiB, [`${(statSync(out).size / 1024 ** 2).toFixed(1)} MiB xlsx`, r.spread].filter(Boolean).join('; '));
    await checkWorkbook(out, data.caseRows);
  } else addFailedRow(label, target);
}

function addRow(label, run, target, pass, note = '') {
  rows.push({ label, wall: ms(run.ms), cpu: ms(run.cpuMs), rss: mib(run.maxRssKiB), target, verdict: pass === undefined ? '' : pass ? 'PASS' : 'MISS', note });
}

function addFailedRow(label, target) {
  rows.push({ label, wall: '–', cpu: '–', rss: '–', target, verdict: 'FAILED', note: 'crashed or unexpected exit; see above' });
}

/** A Markdown table: readable in a terminal and pasted as is into docs/benchmarks.md. */
function formatTable() {
  const header = ['measurement', 'wall time', 'CPU time', 'peak RSS', 'target', 'result', 'note'];
  const body = rows.map((r) => [r.label, r.wall, r.cpu, r.rss, r.target, r.verdict ? `**${r.verdict}**` : '', r.note]);
  const lines = [`| ${header.join(' | ')} |`, '|---|---:|---:|---:|---|---|---|', ...body.map((cells) => `| ${cells.join(' | ')} |`)];
  const missed = rows.filter((r) => r.verdict === 'MISS').map((r) => r.label);
  if (missed.length) lines.push('', `MISS: ${missed.join('; ')}`);
  return lines.join('\n');
}

/** --profile: a CPU profile of each command (every thread), summarised, and the startup broken down. */
async function profile(data, tmp) {
  const { summariseProfile, formatSummary } = await import('./bench/cpuprofile-top.mjs');
  const { stageCosts, isolatedCosts, formatCosts } = await import('./bench/import-cost.mjs');
  const profiles = join(tmp, 'profiles');
  const runs = [
    ['validate-district', [BIN, 'validate', DISTRICT_FILE], ROOT],
    ...(data
      ? [
          ['validate-all', [BIN, 'validate', '--campaign', data.campaignFile, ...data.files], data.dir],
          ['status-all', [BIN, 'status', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF], tmp],
          ['merge-all', [BIN, 'merge', '--dir', data.dir, '--campaign', data.campaignFile, '--as-of', AS_OF, '--out', join(tmp, 'out', 'profiled.xlsx'), '--force'], tmp],
        ]
      : []),
  ];
  for (const [name, args, cwd] of runs) {
    const dir = join(profiles, name);
    const run = await runNode(['--cpu-prof', `--cpu-prof-dir=${dir}`, ...args], { cwd });
    // One file per thread: the main thread first, then any workers.
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort() : [];
    log(`\n## CPU profile: ${name} (exit ${run.code}, ${ms(run.ms)} with the profiler on)`);
    for (const [i, file] of files.entries()) {
      log(`\n### ${i === 0 ? 'main thread' : `worker thread ${i}`} (${join(dir, file)})\n`);
      log(formatSummary(summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8'))), 15));
    }
  }
  log('\n## Startup: what a cold validate of one file spends\n');
  log(formatCosts(stageCosts(7, DISTRICT_FILE), isolatedCosts(5)));
}

main();
