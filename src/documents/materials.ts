/**
 * 图片视频资料: every material of every department in the package, copied (never moved),
 * names kept. Planned before anything is copied, so the total size and every material
 * that cannot go in are known up front; the same path checks as `validate` apply.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MessageCode } from '../messages/index.js';
import { submissionOf, type DepartmentStatus } from '../model.js';
import { resolveBeside } from '../submission/rules.js';
import { safeFileName, shortenName } from '../fs.js';
import { materialConcern } from '../submission/material-kind.js';
import { packageOwner } from '../status/status.js';
import { isPackageManifest } from '../submission/load.js';

/** The folder of the package that holds the materials, one subfolder per department. */
const MATERIALS_FOLDER = '图片视频资料';

/**
 * The largest single material taken into the package: 2 GiB. Phone videos of a
 * 检查现场 are tens to hundreds of MB; a file past this is usually a raw recording or a
 * disk image put there by mistake, and would make the package too big to send.
 */
export const MATERIAL_LIMIT = 2 * 1024 ** 3;

/** One material to copy. `to` is its path inside the package (forward slashes). */
export interface MaterialCopy {
  department: string;
  /** The path as written in the submission. */
  written: string;
  from: string;
  to: string;
  size: number;
  /** True when the name was changed to avoid a clash with another material of the department. */
  renamed: boolean;
}

/** A material that does not go into the package, and why. */
export interface MaterialProblem {
  department: string;
  written: string;
  reason: MessageCode;
  size?: number;
}

export interface MaterialPlan {
  copies: MaterialCopy[];
  problems: MaterialProblem[];
  /** Materials taken in that are not what their names say (empty, a picture that is none): said. */
  concerns: MaterialProblem[];
  totalBytes: number;
}

/**
 * Where each material of the merged departments goes. `sourceOf` gives the path of a
 * department's submission file (materials are relative to its folder). A second file with
 * the same name in one department's folder becomes 名称（2）.ext; a path listed twice is copied once.
 */
export function planMaterials(statuses: readonly DepartmentStatus[], sourceOf: (s: DepartmentStatus) => string, limit = MATERIAL_LIMIT): MaterialPlan {
  const copies: MaterialCopy[] = [];
  const problems: MaterialProblem[] = [];
  const concerns: MaterialProblem[] = [];
  for (const s of statuses) {
    const submission = submissionOf(s);
    if (!submission) continue;
    const folder = posix.join(MATERIALS_FOLDER, safeFileName(s.name));
    const taken = new Set<string>(); // lower case: Windows and macOS file names ignore case
    const seen = new Set<string>();
    // A lower level's table: the pictures of its package beside it, each under its unit's folder.
    if (submission.rollup) {
      for (const m of packageMaterials(dirname(sourceOf(s)), s, statuses)) {
        const to = posix.join(folder, m.rel);
        if (m.size > limit) problems.push({ department: s.name, written: m.written, reason: 'pack/too-large', size: m.size });
        else if (!taken.has(to.toLowerCase())) {
          taken.add(to.toLowerCase());
          copies.push({ department: s.name, written: m.written, from: m.from, to, size: m.size, renamed: false });
        }
      }
    }
    for (const written of submission.materials) {
      const where = resolveBeside(sourceOf(s), written);
      if (!where.ok) {
        problems.push({ department: s.name, written, reason: where.code });
        continue;
      }
      if (seen.has(where.path)) continue;
      seen.add(where.path);
      const size = statSync(where.path, { throwIfNoEntry: false })?.size;
      if (size === undefined) {
        problems.push({ department: s.name, written, reason: 'material/missing' }); // gone since it was checked
        continue;
      }
      if (size > limit) {
        problems.push({ department: s.name, written, reason: 'pack/too-large', size });
        continue;
      }
      // An executable never goes upward (validate already calls it an error); an empty or misnamed one goes in, said.
      const concern = materialConcern(where.path, written);
      if (concern?.severity === 'error') {
        problems.push({ department: s.name, written, reason: concern.code });
        continue;
      }
      if (concern) concerns.push({ department: s.name, written, reason: concern.code });
      const base = safeFileName(written.replace(/\\/g, '/').split('/').pop() ?? written);
      let to = posix.join(folder, base);
      // Shortened again with the （n）: a name that just fit must not become too long for the disk.
      for (let n = 2; taken.has(to.toLowerCase()); n++) to = posix.join(folder, shortenName(base, `（${n}）`));
      taken.add(to.toLowerCase());
      copies.push({ department: s.name, written, from: where.path, to, size, renamed: to !== posix.join(folder, base) });
    }
  }
  return { copies, problems, concerns, totalBytes: copies.reduce((sum, c) => sum + c.size, 0) };
}

/** A file's size and SHA-256, as the manifest lists it. */
export interface FileDigest {
  size: number;
  sha256: string;
}

/** Files up to this size are copied in one read and one write (most pictures); larger ones as a stream. */
const SMALL = 4 * 1024 ** 2;

/**
 * Copies `from` to `to`, hashing what passes: a video is streamed, never held in memory;
 * a small file's bytes are returned too (the zip can take them from memory). `planned` is
 * the size the plan measured. The destination must not exist yet; its folder must.
 */
export async function copyWithDigest(from: string, to: string, planned: number): Promise<FileDigest & { bytes?: Buffer }> {
  const hash = createHash('sha256');
  if (planned <= SMALL) {
    const bytes = await readFile(from);
    await writeFile(to, bytes, { flag: 'wx' });
    return { size: bytes.length, sha256: hash.update(bytes).digest('hex'), bytes };
  }
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: 'wx' }));
  return { size, sha256: hash.digest('hex') };
}

/** Makes the department folders of a plan below `root`. */
export async function makeFolders(root: string, plan: MaterialPlan): Promise<void> {
  for (const folder of new Set(plan.copies.map((c) => posix.dirname(c.to)))) await mkdir(onDisk(root, folder), { recursive: true });
}

/** The path of a planned copy on disk, below the package folder. */
export const onDisk = (root: string, to: string) => join(root, ...to.split('/'));

/** A folder holding a package's manifest (an unreadable folder holds none that can be read). */
function hasManifest(folder: string): boolean {
  try {
    return readdirSync(folder).some(isPackageManifest);
  } catch {
    return false;
  }
}

/**
 * The materials in a lower level's package beside its table (packageOwner: the folder's name
 * holds the unit's name): every file under its 图片视频资料, by its path there (区公安分局/现场.png).
 */
function packageMaterials(dir: string, owner: DepartmentStatus, statuses: readonly DepartmentStatus[]): { written: string; rel: string; from: string; size: number }[] {
  const sent = statuses.filter((x) => submissionOf(x)?.rollup);
  const found: { written: string; rel: string; from: string; size: number }[] = [];
  const walk = (path: string, rel: string, written: string) => {
    for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(join(path, e.name), posix.join(rel, safeFileName(e.name)), `${written}/${e.name}`);
      else if (e.isFile()) found.push({ written: `${written}/${e.name}`, rel: posix.join(rel, safeFileName(e.name)), from: join(path, e.name), size: statSync(join(path, e.name)).size });
    }
  };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const materials = join(dir, e.name, MATERIALS_FOLDER);
    if (!e.isDirectory() || !existsSync(materials) || !hasManifest(join(dir, e.name))) continue;
    if (packageOwner(e.name, sent) === owner) walk(materials, '', `${e.name}/${MATERIALS_FOLDER}`);
  }
  return found;
}
