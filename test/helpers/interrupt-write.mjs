/**
 * Preload (`node --import …/interrupt-write.mjs`) that interrupts what the CLI writes into
 * the folder REPORT_TEST_OUT_DIR, the way the real world does:
 *
 * - REPORT_TEST_INTERRUPT=kill: the first file written there gets half its bytes, then the
 *   process is killed (SIGKILL: a crash, a power cut, the window closed mid-write).
 * - REPORT_TEST_INTERRUPT=sigint: the first file written there gets half its bytes, then the
 *   process gets SIGINT (Ctrl-C) and has to clean up after itself.
 * - REPORT_TEST_INTERRUPT=rename: renaming a file into that folder fails with EBUSY, as on
 *   Windows while Excel or WPS has the old output open.
 *
 * Files are written with fs.promises writeFile, or opened with fs.promises.open and written
 * through the handle (then fsync'ed): both ways are interrupted.
 *
 * Each interruption is recorded as a line of JSON in REPORT_TEST_TRACE, so a test can tell
 * that it happened: if the CLI stops writing through fs writeFile and rename, the trace
 * stays empty and the test says so, instead of passing without interrupting anything.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, dirname, resolve } from 'node:path';

const mode = process.env.REPORT_TEST_INTERRUPT;
const outDir = process.env.REPORT_TEST_OUT_DIR && resolve(process.env.REPORT_TEST_OUT_DIR);
const trace = process.env.REPORT_TEST_TRACE;
const real = { writeFileSync: fs.writeFileSync, appendFileSync: fs.appendFileSync };
const record = (event) => real.appendFileSync(trace, `${JSON.stringify(event)}\n`);
const isOut = (path) => typeof path === 'string' && dirname(resolve(path)) === outDir;

/** Half of `data` written to `path`, then the end of the process. */
function killMidWrite(path, data) {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const half = bytes.subarray(0, bytes.length >> 1);
  real.writeFileSync(path, half);
  record({ event: 'killed', file: basename(path), written: half.length, of: bytes.length });
  process.kill(process.pid, 'SIGKILL');
}

function busy(from, to) {
  record({ event: 'rename-failed', from: basename(from), to: basename(to) });
  return Object.assign(new Error(`EBUSY: resource busy or locked, rename '${from}' -> '${to}'`), { errno: -16, code: 'EBUSY', syscall: 'rename', path: from, dest: to });
}

/** Half of `data` written to `path`, then Ctrl-C: the process's own handler decides what happens. */
async function interruptMidWrite(path, data) {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  real.writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
  record({ event: 'interrupted', file: basename(path) });
  process.kill(process.pid, 'SIGINT');
  await new Promise(() => setTimeout(() => {}, 30_000)); // the write never completes: the handler ends the process
}

/** fs.promises.open, whose handles for files in the folder write through `write` (files written durably go this way). */
function openWith(write) {
  const { open } = fs.promises;
  fs.promises.open = async (path, ...rest) => {
    const handle = await open(path, ...rest);
    if (isOut(path)) handle.writeFile = (data) => write(path, data);
    return handle;
  };
}

if (mode === 'sigint') {
  const { writeFile } = fs.promises;
  fs.promises.writeFile = async (path, data, ...rest) => (isOut(path) ? interruptMidWrite(path, data) : writeFile(path, data, ...rest));
  openWith(interruptMidWrite);
} else if (mode === 'kill') {
  const { writeFile } = fs.promises;
  fs.promises.writeFile = async (path, data, ...rest) => (isOut(path) ? killMidWrite(path, data) : writeFile(path, data, ...rest));
  fs.writeFileSync = (path, data, ...rest) => (isOut(path) ? killMidWrite(path, data) : real.writeFileSync(path, data, ...rest));
  openWith(killMidWrite);
} else if (mode === 'rename') {
  const { rename } = fs.promises;
  const { renameSync } = fs;
  fs.promises.rename = async (from, to) => {
    if (isOut(to)) throw busy(from, to);
    return rename(from, to);
  };
  fs.renameSync = (from, to) => {
    if (isOut(to)) throw busy(from, to);
    return renameSync(from, to);
  };
}
// ES modules import node:fs and node:fs/promises by name: give them the replaced functions.
syncBuiltinESMExports();
