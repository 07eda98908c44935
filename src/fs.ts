/** File-system helpers shared by the commands and the core: containment and how paths are shown. */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

/** True when `path` is `folder` itself or lies below it. */
export function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** The real path (symbolic links resolved), or the path itself when it does not exist yet. */
export function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A path as the clerk would recognise it: relative below the current folder, absolute elsewhere. */
export function shownPath(path: string): string {
  const rel = relative('.', path);
  return rel && isWithin('.', path) ? rel : path;
}
