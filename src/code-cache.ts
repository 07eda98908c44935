/**
 * V8's code cache for the bundled program. A clerk's first `report validate` used to spend a
 * third of its time compiling JavaScript: Node 22 can keep compiled modules between runs
 * (`module.enableCompileCache`), Node 20 cannot. So `npm run build` runs the program once on
 * the sample data with `REPORT_CODE_CACHE=write`, and keeps, for every file of dist/ it
 * loaded, V8's compiled code (functions that ran included) in dist/code-cache/. Later runs
 * hand it to V8 with the file's source. V8 refuses a cache from another V8 or other flags, and
 * one for a source of another length; it checks neither the source's text nor the rest of the
 * cache (a cache damaged inside crashes the process). So each cache file starts with a CRC-32
 * of the build it was made by (dist/build-id, a hash of every program file) and one of the
 * cache itself, and a file whose sums do not match is not handed to V8. Refused or not handed,
 * the file is compiled afresh: it costs the compile it would have cost anyway. Files without a
 * cache, every file outside `dir` (node_modules), and every file on a Node without zlib.crc32
 * (before 20.15) load as Node loads them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/** Node's CommonJS module, as far as its compile step needs it (not in @types/node). */
interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

/** What a code cache did for this process: file names of dist/ by outcome. */
export interface CodeCacheUse {
  /** Compiled from the cache. */
  accepted: string[];
  /** Had a cache made by another build, damaged, or refused by V8 (another Node, other flags, another source): compiled afresh. */
  rejected: string[];
  /** Had none. */
  missing: string[];
  /** Writes the cache of every file compiled so far (the build's training run). */
  save(): void;
  /** Puts Node's own compile step back. */
  uninstall(): void;
}

/** The cache file of a program file: dist/code-cache/cli.js.bin. */
export const cacheFileOf = (cacheDir: string, file: string) => join(cacheDir, `${basename(file)}.bin`);

const crc32 = (zlib as { crc32?: (data: string | Uint8Array) => number }).crc32;

/** A cache file: the CRC-32 of the build, that of V8's cache, then the cache. */
function sealed(build: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(crc32!(build), 0);
  head.writeUInt32LE(crc32!(data), 4);
  return Buffer.concat([head, data]);
}

/** V8's cache from a cache file, when it was made by `build` and is whole. */
function unsealed(build: string, file: Buffer): Buffer | undefined {
  if (file.length < 8) return undefined;
  const data = file.subarray(8);
  return file.readUInt32LE(0) === crc32!(build) && file.readUInt32LE(4) === crc32!(data) ? data : undefined;
}

/**
 * Compiles the CommonJS files directly in `dir` with their cache from `cacheDir`, made by
 * `build`. Node's own wrapper (Module.wrap) keeps line and column numbers as Node gives them.
 */
export function useCodeCache(dir: string, cacheDir: string, build: string): CodeCacheUse {
  const proto = (Module as unknown as { prototype: CompilingModule }).prototype;
  const compile = proto._compile;
  const scripts: [string, vm.Script][] = [];
  const use: CodeCacheUse = {
    accepted: [],
    rejected: [],
    missing: [],
    save() {
      mkdirSync(cacheDir, { recursive: true });
      for (const [file, script] of scripts) writeFileSync(cacheFileOf(cacheDir, file), sealed(build, script.createCachedData()));
    },
    uninstall() {
      proto._compile = compile;
    },
  };
  if (!crc32) return use;
  proto._compile = function (this: CompilingModule, content: string, filename: string) {
    if (dirname(filename) !== dir) return compile.call(this, content, filename);
    let file: Buffer | undefined;
    try {
      file = readFileSync(cacheFileOf(cacheDir, filename));
    } catch {
      // No cache for this file: compiled as usual.
    }
    const cachedData = file && unsealed(build, file);
    if (file && !cachedData) use.rejected.push(basename(filename));
    // No import() in dist/: the build makes an external package's import() a require().
    const script = new vm.Script(Module.wrap(content), { filename, ...(cachedData && { cachedData }) });
    if (cachedData) (script.cachedDataRejected ? use.rejected : use.accepted).push(basename(filename));
    else if (!file) use.missing.push(basename(filename));
    scripts.push([filename, script]);
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dir);
  };
  return use;
}
