#!/usr/bin/env node
/**
 * `npm run build`: the program as a few bundled files in dist/ (rolldown, the bundler vite
 * itself uses). A clerk's `report validate` starts in a fraction of the time it takes to load
 * a hundred separate modules of commander, chalk, yaml and zod. Every command is its own
 * chunk, loaded when it runs; exceljs and jszip stay outside the bundle, loaded only by the
 * commands that write workbooks. dist/build-id is a hash of everything written: the check
 * cache trusts only results of the same build. Type checking is `tsc --noEmit` (the script before).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

/** Packages loaded from node_modules at run time rather than bundled: large, and only for writing workbooks. */
const EXTERNAL = ['exceljs', 'jszip'];

rmSync(DIST, { recursive: true, force: true });
const bundle = await rolldown({
  cwd: ROOT,
  input: { cli: 'src/cli.ts', worker: 'src/submission/worker.ts' },
  platform: 'node',
  external: [...builtinModules, /^node:/, ...EXTERNAL],
  logLevel: 'warn',
});
// Flat: every file one folder below the package, as src/paths.ts and the worker's URL expect.
await bundle.write({ dir: DIST, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: false, sourcemap: false });
await bundle.close();

const hash = createHash('sha256');
for (const name of readdirSync(DIST).sort()) hash.update(name).update('\0').update(readFileSync(join(DIST, name)));
writeFileSync(join(DIST, 'build-id'), `${hash.digest('hex')}\n`);
