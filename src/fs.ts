/** File-system helpers shared by the commands and the core: containment, how paths are shown, publishing a file. */
import { constants, copyFileSync, linkSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';

/** True when `path` is `folder` itself or lies below it. */
export function isWithin(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/**
 * The real path (symbolic links resolved); for a path that does not exist yet, that of the
 * nearest folder above it that does, with the rest: `链接/新文件夹` where 链接 points into the
 * submissions folder is inside it, though 新文件夹 is not there yet.
 */
export function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realOrSelf(parent), basename(path));
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

/** Temporary files and folders being written by this process, each with what to say if it is interrupted. */
const writing = new Map<string, (() => void) | undefined>();
let handlersInstalled = false;

/**
 * Removes `tmp` (a file, or a folder with all it holds) if the process is interrupted (Ctrl-C,
 * a closed window): then `notice` is called (once, however many paths share it) and the process
 * ends, 130 after Ctrl-C, else 143. Returns what takes `tmp` off the list again.
 */
export function removeOnInterrupt(tmp: string, notice?: () => void): () => void {
  writing.set(tmp, notice);
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.once(signal, () => {
        for (const path of writing.keys()) if (path !== '') rmSync(path, { recursive: true, force: true });
        for (const said of new Set(writing.values())) said?.();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
  }
  return () => writing.delete(tmp);
}

/** Says `notice` (and ends the process, as removeOnInterrupt) if the command is interrupted at any moment from now on. */
export function sayOnInterrupt(notice: () => void): void {
  removeOnInterrupt('', notice);
}

/** The temporary name beside `path`: hidden, with this process's id (a later run removes it if the process is gone). */
const tempName = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/** Temporary files a killed run left beside `path`: those whose process no longer runs. */
function removeStaleTemps(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.(?:[0-9a-f]+\.)?tmp$/.exec(name.slice(prefix.length)) : null;
    if (m && !isRunning(Number(m[1]))) rmSync(join(dirname(path), name), { force: true });
  }
}

/** True when the process `pid` runs (this one does); false for what is no process id. */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes files whole or not at all: each into a temporary file beside it, then all published,
 * none unless every one was written. Without `replace`, an existing file is never replaced,
 * even by a run started at the same moment: the temporary file is hard-linked to the name,
 * which fails if it exists (where a file system has no hard links, an exclusive copy does the
 * same); files this call had published are then taken back. With `replace`, each is renamed
 * over the old file and keeps the old file's permissions. Temporary files are removed whatever
 * happens, also on Ctrl-C; those of an earlier, killed run are removed first.
 * Throws the OS error (EEXIST when a file is there and `replace` is not given).
 */
export async function publishFiles(files: readonly (readonly [string, Uint8Array | string])[], replace = false): Promise<void> {
  const temps = files.map(([path]) => tempName(path));
  const published: string[] = [];
  try {
    for (const [i, [path, bytes]] of files.entries()) {
      removeStaleTemps(path);
      const mode = replace ? await stat(path).then((s) => s.mode & 0o7777, () => undefined) : undefined;
      removeOnInterrupt(temps[i]!);
      await writeDurably(temps[i]!, bytes, mode);
      if (mode !== undefined) await chmod(temps[i]!, mode); // the umask may have narrowed it
    }
    for (const [i, [path]] of files.entries()) {
      if (replace) await rename(temps[i]!, path);
      else linkOrCopySync(temps[i]!, path);
      published.push(path);
    }
    for (const folder of new Set(files.map(([path]) => dirname(path)))) await syncFolder(folder);
  } catch (error) {
    if (!replace) for (const path of published) await rm(path, { force: true });
    throw error;
  } finally {
    for (const tmp of temps) {
      await rm(tmp, { force: true });
      writing.delete(tmp);
    }
  }
}

/**
 * Writes a new file (it must not exist) and has the disk hold its bytes before returning: without
 * the fsync, a power cut soon after the rename can leave an empty file under the real name.
 */
export async function writeDurably(path: string, bytes: Uint8Array | string, mode?: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Has the disk hold a folder's entries (a rename or link just made in it). Where a folder cannot
 * be opened or synced (Windows, some network file systems) the rename is as durable as it gets.
 */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // EISDIR, EPERM, EINVAL: this platform syncs no folders
  } finally {
    await handle.close();
  }
}

/** Has the disk hold the bytes of a file already written and closed. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** One file, whole or not at all (see publishFiles). */
export const publishFile = (path: string, bytes: Uint8Array | string, replace = false) => publishFiles([[path, bytes]], replace);

/** Publishes `tmp` as `path` unless `path` exists: a hard link, or an exclusive copy where links cannot be made. */
export function linkOrCopySync(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || !['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code ?? '')) throw error;
    copyFileSync(tmp, path, constants.COPYFILE_EXCL);
  }
}

/** Names Windows reserves for devices, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * A name safe as one file or folder name on Windows, macOS and Linux: characters Windows
 * forbids become _, trailing dots and spaces go, device names get a _, and it is shortened
 * (shortenName) to 120 characters (a package's paths stay under Windows' 260 limit) and
 * NAME_BYTES bytes, its extension kept.
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  let safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim().replace(/[. ]+$/, '');
  if (RESERVED.test(safe)) safe = `_${safe}`;
  if (safe === '' || safe === '.' || safe === '..') safe = '_';
  return shortenName(safe);
}

/**
 * The most bytes (UTF-8) of a name the tool writes: Linux and macOS allow 255, and the
 * temporary names beside an output (.名称.zip.partial-12345, .名称.xlsx.12345.1a2b3c4d.tmp) add
 * up to 32. 200 bytes are 66 Chinese characters.
 */
const NAME_BYTES = 200;

/**
 * A file a package holds, named after its unit (黄山区市场监督管理局-典型案例汇编.docx), so that
 * seven districts' or departments' packages copied into one folder never collide.
 */
export const unitFileName = (unit: string, name: string): string => safeFileName(`${unit}-${name}`);

/**
 * `name` cut to 120 characters and NAME_BYTES bytes, with `insert` (a （2） that tells two
 * materials apart) before the extension; the extension (up to 16 characters) is always kept,
 * so a cut video still opens as a video.
 */
export function shortenName(name: string, insert = ''): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const tail = insert + ext;
  const stem = [...name.slice(0, name.length - ext.length)];
  const fits = () => stem.length + [...tail].length <= 120 && Buffer.byteLength(stem.join('') + tail) <= NAME_BYTES;
  while (stem.length > 1 && !fits()) stem.pop();
  return stem.join('') + tail;
}

/**
 * A size as Windows shows it (1024-based, KB, MB, GB): 512 B, 1.5 KB, 2 MB, 5.3 MB. Rounded up
 * to a tenth, so a file just over a limit never reads as the limit itself (2 MB + 1 byte is 2.1 MB).
 */
export function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  const shown = () => (unit === 0 ? value : Math.ceil(value * 10) / 10);
  while ((value >= 1024 || shown() >= 1024) && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${shown()} ${units[unit]}`;
}
