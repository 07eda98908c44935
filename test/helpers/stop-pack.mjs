/**
 * Preload (`node --import …/stop-pack.mjs`) that stops `report pack` at a chosen moment,
 * for the interruption tests. REPORT_TEST_STOP says how and when:
 *   kill:N      SIGKILL (a power cut) at the Nth step of the commit (a rename or link), before it happens:
 *               kill:1 before anything of the previous package moves, kill:2 once its zip is moved
 *               aside, kill:3 once both are, kill:4 once the new zip is in place (the folder not yet);
 *   interrupt   SIGINT (Ctrl-C) while the workbook is being put into the half-built package;
 *   busy-zip    the package's zip cannot be renamed or replaced (EBUSY), as when it is open in
 *               another program on Windows;
 *   fail-read:TEXT reading a file whose path holds TEXT fails (EIO), as a material on a failing disk;
 *   barrier:DIR before its first commit step, the process waits until two processes got there
 *               (each leaves a file in DIR): two runs then commit at the same moment.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join } from 'node:path';

const [mode, arg] = (process.env.REPORT_TEST_STOP ?? '').split(/:(.*)/s);
let commits = 0;

/** What every commit step goes through first: a path of the package (not a workbook's temporary file). */
function step(from, to) {
  const isWorkbookTemp = basename(String(from)).endsWith('.tmp');
  if (isWorkbookTemp) return;
  ++commits;
  if (mode === 'kill' && commits === Number(arg)) process.kill(process.pid, 'SIGKILL');
  if (mode === 'busy-zip' && [from, to].some((p) => /\.zip$/.test(String(p)))) {
    throw Object.assign(new Error(`EBUSY: resource busy or locked, rename '${from}' -> '${to}'`), { code: 'EBUSY', errno: -16, syscall: 'rename', path: String(from) });
  }
  if (mode === 'barrier' && commits === 1) {
    fs.writeFileSync(join(arg, String(process.pid)), '');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 1500 && fs.readdirSync(arg).length < 2; i++) Atomics.wait(pause, 0, 0, 20);
  }
}

const readFile = fs.promises.readFile;
fs.promises.readFile = async (path, ...rest) => {
  if (mode === 'fail-read' && String(path).includes(arg)) throw Object.assign(new Error(`EIO: i/o error, read '${path}'`), { code: 'EIO', errno: -5, syscall: 'read', path: String(path) });
  return readFile(path, ...rest);
};
const rename = fs.promises.rename;
fs.promises.rename = async (from, to) => {
  if (mode === 'interrupt' && basename(String(from)).endsWith('.tmp')) {
    process.kill(process.pid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 5000)); // the handler ends the process first
  }
  step(from, to);
  return rename(from, to);
};
// The commit itself is synchronous (so Ctrl-C never lands in the middle of it).
for (const name of ['renameSync', 'linkSync']) {
  const original = fs[name];
  fs[name] = (from, to) => {
    step(from, to);
    return original(from, to);
  };
}
syncBuiltinESMExports();
