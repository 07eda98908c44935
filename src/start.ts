/**
 * The program's entry (bin/report.js): the code cache first, so every file of dist/ after this
 * one is compiled with it (src/code-cache.ts), then the command line.
 *
 * REPORT_CODE_CACHE=write keeps what this run compiled (the build's training runs, in
 * scripts/build.mjs); REPORT_CODE_CACHE=show prints at exit which files the cache served.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCodeCache } from './code-cache.js';

const dist = dirname(fileURLToPath(import.meta.url));
const cache = useCodeCache(dist, join(dist, 'code-cache'), readFileSync(join(dist, 'build-id'), 'utf8'));
const mode = process.env.REPORT_CODE_CACHE;
if (mode === 'write') process.on('exit', () => cache.save());
if (mode === 'show') process.on('exit', () => process.stderr.write(`code cache: ${JSON.stringify({ accepted: cache.accepted, rejected: cache.rejected, missing: cache.missing })}\n`));
void import('./cli.js');
