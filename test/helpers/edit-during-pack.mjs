/**
 * Preload (`node --import …/edit-during-pack.mjs`) that changes a file while `report pack`
 * runs: once the submissions are checked, as the half-built package folder is made, a line
 * is added to the file named by REPORT_TEST_EDIT (a clerk saving the summary again meanwhile).
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const file = process.env.REPORT_TEST_EDIT;
const mkdir = fs.promises.mkdir;
fs.promises.mkdir = async (path, ...rest) => {
  if (file && basename(String(path)).includes('.partial-')) fs.appendFileSync(file, '\n（会后又补充了一段。）\n');
  return mkdir(path, ...rest);
};
syncBuiltinESMExports();
