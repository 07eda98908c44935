/** File-system helpers shared by the commands and the core: containment, how paths are shown, publishing a file. */
import { constants, realpathSync, statSync } from 'node:fs';
import { chmod, copyFile, link, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';

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

/** True when both paths name one existing file: the same real path, or the same inode (a hard link). */
export function isSameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return (x.dev === y.dev && x.ino === y.ino && x.ino !== 0) || realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** A path as the clerk would recognise it: relative below the current folder, absolute elsewhere. */
export function shownPath(path: string): string {
  const rel = relative('.', path);
  return rel && isWithin('.', path) ? rel : path;
}

/**
 * Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then published
 * in one step. Without `replace`, an existing file is never replaced, even by a run started at
 * the same moment: the temporary file is hard-linked to the name, which fails if it exists
 * (where a file system has no hard links, an exclusive copy does the same). With `replace`,
 * it is renamed over the old file, which keeps its permissions.
 * Throws the OS error (EEXIST when the file is there and `replace` is not given).
 */
export async function publishFile(path: string, bytes: Uint8Array | string, replace = false): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (replace) {
      const mode = await stat(path).then((s) => s.mode & 0o7777, () => undefined);
      await writeFile(tmp, bytes, { flag: 'wx', ...(mode !== undefined && { mode }) });
      if (mode !== undefined) await chmod(tmp, mode); // the umask may have narrowed it
      await rename(tmp, path);
      return;
    }
    await writeFile(tmp, bytes, { flag: 'wx' });
    try {
      await link(tmp, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || !['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code ?? '')) throw error;
      await copyFile(tmp, path, constants.COPYFILE_EXCL);
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Names Windows reserves for devices, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * A name safe as one file or folder name on Windows, macOS and Linux: characters Windows
 * forbids become _, trailing dots and spaces go, device names get a _, and it is cut to
 * 120 characters (a package's paths stay under Windows' 260 limit).
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  let safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim().replace(/[. ]+$/, '');
  if (RESERVED.test(safe)) safe = `_${safe}`;
  if (safe === '' || safe === '.' || safe === '..') safe = '_';
  return [...safe].slice(0, 120).join('');
}

/** 70 B, 12.4 KB, 3.1 MB, 1.2 GB (1024-based, as Windows shows them). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
