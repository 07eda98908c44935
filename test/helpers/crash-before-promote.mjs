/**
 * Preload (`node --import …/crash-before-promote.mjs`) for `report serve`: the process is killed
 * (SIGKILL: a power cut, the window closed) at the moment an accepted upload's checked copy
 * (.check-…) would be renamed to its public name in the submissions folder, after its record
 * was written: the crash between store.record and store.promote that store.resume finishes.
 */
import fsp from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

const rename = fsp.rename;
fsp.rename = (from, to) => {
  if (typeof from === 'string' && typeof to === 'string' && basename(from).startsWith('.check-') && dirname(resolve(from)) === dirname(resolve(to))) process.kill(process.pid, 'SIGKILL');
  return rename(from, to);
};
