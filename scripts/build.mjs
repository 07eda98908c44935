#!/usr/bin/env node
/**
 * `npm run build`: the program as a few bundled files in dist/ (rolldown, the bundler vite
 * itself uses). A clerk's `report validate` starts in a fraction of the time it takes to load
 * a hundred separate modules of commander, chalk, yaml and zod. Every command is its own
 * chunk, loaded when it runs; exceljs, resvg (native) and yazl stay outside the bundle, loaded only by the
 * commands that write workbooks. dist/build-id is a hash of everything written: the check
 * cache trusts only results of the same build. Type checking is `tsc --noEmit` (the script before).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

/** Packages loaded from node_modules at run time rather than bundled: large or native, and only for the commands that write workbooks and packages. */
const EXTERNAL = ['exceljs', '@resvg/resvg-js', 'yazl'];

/**
 * zod's core re-exports all forty of its locales, and nothing can tell the bundler that two are
 * used: its index is replaced by one that exports those two (about a third of zod's size).
 */
function oneLocaleIndex() {
  return {
    name: 'zod-locales',
    resolveId(source, importer) {
      if (source === '../locales/index.js' && importer && /zod[\\/]v4[\\/](core|classic)[\\/]/.test(importer)) return join(ROOT, 'scripts', 'zod-locales.js');
      return null;
    },
  };
}

rmSync(DIST, { recursive: true, force: true });
const bundle = await rolldown({
  cwd: ROOT,
  // campaign: the loader, for the build to check the bundled campaign with (below) and for npm run template;
  // chart: for the bench's cost of it; template: the default template, for npm run template.
  input: { start: 'src/start.ts', cli: 'src/cli.ts', worker: 'src/submission/worker.ts', campaign: 'src/source/campaign.ts', chart: 'src/documents/chart.ts', template: 'src/template/default-bytes.ts' },
  platform: 'node',
  external: [...builtinModules, /^node:/, ...EXTERNAL],
  logLevel: 'warn',
  plugins: [oneLocaleIndex()],
});
// Flat: every file one folder below the package, as src/paths.ts and the worker's URL expect.
// CommonJS (dist/package.json says so), because Node 20 keeps V8's code cache only for scripts:
// src/code-cache.ts. import() of an external package becomes require(), as in the rest.
await bundle.write({ dir: DIST, format: 'cjs', dynamicImportInCjs: false, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: false, sourcemap: false });
await bundle.close();
writeFileSync(join(DIST, 'package.json'), '{ "type": "commonjs" }\n');

// The bundled campaign, checked once here by the program's own loader: a first run on a new
// machine then starts without the YAML parser and zod's check of the campaign. Its key is the
// check cache's (cacheKey of the text), so only exactly this text is taken as checked.
const { parseCampaign, SHIPPED_CAMPAIGN } = await import(pathToFileURL(join(DIST, 'campaign.js')).href);
const text = readFileSync(join(ROOT, 'data', 'campaign.yaml'), 'utf8');
const { campaign, diagnostics } = await parseCampaign(text);
if (!campaign) throw new Error(`data/campaign.yaml does not pass its own schema: ${JSON.stringify(diagnostics)}`);
writeFileSync(SHIPPED_CAMPAIGN, JSON.stringify({ sha256: createHash('sha256').update(text).update('\0').digest('hex'), campaign }));

const hash = createHash('sha256');
for (const name of readdirSync(DIST).sort()) hash.update(name).update('\0').update(readFileSync(join(DIST, name)));
writeFileSync(join(DIST, 'build-id'), `${hash.digest('hex')}\n`);

// V8's code cache (src/code-cache.ts, dist/code-cache/), made by running what a clerk runs first
// on the sample data: validate (a YAML file with an empty check cache, then cached, and a
// workbook), status, merge and the help. Each run starts from the last one's cache and adds
// what it compiled. Not in build-id: it changes no result, and V8 refuses it when it does not fit.
const scratch = mkdtempSync(join(tmpdir(), 'report-build-'));
try {
  const asOf = ['--as-of', '2024-11-15T09:00+08:00'];
  const runs = [
    [['validate', 'data/submissions/区市场监管局.yaml'], [0]],
    [['validate', 'data/submissions/区市场监管局.yaml'], [0]],
    [['validate', 'data/submissions/区委网信办.xlsx'], [0]],
    [['status', '--dir', 'data/submissions', ...asOf], [0, 1]],
    [['merge', '--dir', 'data/submissions', ...asOf, '--out', join(scratch, 'merged.xlsx')], [0]],
    [['--help'], [0]],
  ];
  for (const [args, codes] of runs) {
    const env = { ...process.env, REPORT_CODE_CACHE: 'write', REPORT_CACHE_DIR: join(scratch, 'cache'), NO_COLOR: '1' };
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'report.js'), ...args], { cwd: ROOT, env, encoding: 'utf8' });
    if (!codes.includes(run.status)) throw new Error(`report ${args.join(' ')} exited ${run.status}:\n${run.stderr}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
