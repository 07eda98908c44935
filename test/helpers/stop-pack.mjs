/**
 * Preload (`node --import …/stop-pack.mjs`) that stops `report pack` at a chosen moment,
 * for the interruption tests. REPORT_TEST_STOP says how and when:
 *   kill:N      SIGKILL (a power cut) at the Nth rename of the commit, before it happens:
 *               kill:1 before anything of the previous package moves, kill:2 once it is moved aside;
 *   interrupt   SIGINT (Ctrl-C) while the workbook is being put into the half-built package.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const [mode, nth] = (process.env.REPORT_TEST_STOP ?? '').split(':');
const rename = fs.promises.rename;
let commits = 0;
fs.promises.rename = async (from, to) => {
  const isWorkbookTemp = basename(String(from)).endsWith('.tmp');
  if (mode === 'kill' && !isWorkbookTemp && ++commits === Number(nth)) process.kill(process.pid, 'SIGKILL');
  if (mode === 'interrupt' && isWorkbookTemp) {
    process.kill(process.pid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 5000)); // the handler ends the process first
  }
  return rename(from, to);
};
syncBuiltinESMExports();
