/**
 * A content-addressed cache in the user's own cache folder, so that work already done on an
 * unchanged file is not done again on the next run (the bureau runs `status` many times a
 * day). Keys hash everything a result depends on; an entry is written whole (temporary file,
 * then rename); any failure is simply a miss. The folder is the user's alone (never a shared
 * temporary folder another user could create first and fill); entries are shape-checked when
 * read. REPORT_NO_CACHE=1 turns it off; REPORT_CACHE_DIR moves it.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { packagePath } from './paths.js';

const isEnabled = () => process.env.REPORT_NO_CACHE !== '1';

/** Where the cache lives by the platform's custom: %LOCALAPPDATA%, ~/Library/Caches, $XDG_CACHE_HOME or ~/.cache. */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.REPORT_CACHE_DIR) return env.REPORT_CACHE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'report', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'report');
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'report');
}

let checkedRoot: string | null | undefined;

/**
 * The cache folder, made if need be with owner-only permissions; null (no cache) when it is a
 * link, not a folder, or another user's, or cannot be made owner-only.
 */
function root(): string | null {
  if (checkedRoot !== undefined) return checkedRoot;
  const dir = cacheFolder();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = lstatSync(dir);
    const uid = process.getuid?.();
    if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) return (checkedRoot = null);
    if (uid !== undefined && (info.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return (checkedRoot = dir);
  } catch {
    return (checkedRoot = null);
  }
}

export function cacheKey(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** The value stored under a key when it has the shape `isValue` checks (JSON data: Maps and Dates are the caller's to encode). */
export function readCached<T>(kind: string, key: string, isValue: (value: unknown) => value is T): T | undefined {
  const dir = isEnabled() ? root() : null;
  if (dir === null) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, kind, `${key}.json`), 'utf8'));
    return isValue(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function writeCached(kind: string, key: string, value: unknown): void {
  const base = isEnabled() ? root() : null;
  if (base === null) return;
  try {
    const dir = join(base, kind);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    writeFileSync(temp, JSON.stringify(value));
    renameSync(temp, join(dir, `${key}.json`));
  } catch {
    // A read-only or full disk: the next run checks again.
  }
}

/** Entries a table keeps: the most recent, enough for a province's folder and a few rounds of corrections. */
export const TABLE_LIMIT = 5000;

/**
 * A table of values by key (check results by file hash), kept whole in one entry: one read
 * and one write a run however many files, and a size that stays bounded (TABLE_LIMIT, the
 * most recently written last). A table that is missing or damaged is an empty one; values
 * that fail `isValue` are left out.
 */
export function readCacheTable<T>(kind: string, key: string, isValue: (value: unknown) => value is T): Map<string, T> {
  const stored = readCached(kind, key, Array.isArray);
  const table = new Map<string, T>();
  if (Array.isArray(stored))
    for (const entry of stored as unknown[])
      if (Array.isArray(entry) && typeof entry[0] === 'string' && isValue(entry[1])) table.set(entry[0], entry[1]);
  return table;
}

export function writeCacheTable<T>(kind: string, key: string, table: ReadonlyMap<string, T>): void {
  writeCached(kind, key, [...table].slice(-TABLE_LIMIT));
}

let version: string | undefined;

/**
 * The build of this program: kept results are used only by the build that made them. The build
 * writes `dist/build-id`, a hash of everything it wrote; without one (sources run directly),
 * every run is its own version and nothing kept is used.
 */
export function codeVersion(): string {
  version ??= (() => {
    try {
      return readFileSync(packagePath('dist', 'build-id'), 'utf8').trim() || randomVersion();
    } catch {
      return randomVersion();
    }
  })();
  return version;
}

const randomVersion = () => `unbuilt-${process.pid}-${Date.now()}-${Math.random()}`;
