/**
 * The package for higher authorities: one folder and a zip of it beside it, built under
 * temporary names and renamed into place only when complete. An interrupted run
 * (Ctrl-C, a closed window) removes what it built and leaves the previous package as it
 * was; after a harder stop (power cut, killed) the next run tidies up (settleLeftovers).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { mkdir, readFile, stat, statfs, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import { ReportError } from '../diagnostics.js';
import { formatSize, isRunning, isSameFile, linkOrCopySync, removeOnInterrupt, safeFileName, shownPath, syncFile, unitFileName, syncFolder } from '../fs.js';
import { osReason } from '../messages/index.js';
import type { DepartmentStatus } from '../model.js';
import { writeDocx, type Block } from './docx.js';
import { MANIFEST_NAME, manifestText, type PackagedFile, type SourceFile } from './manifest.js';
import { copyWithDigest, makeFolders, MATERIAL_LIMIT, onDisk, type MaterialPlan } from './materials.js';
import { zipFiles } from './zip.js';

/** A Word document of the package. */
export interface PackageDocument {
  file: string;
  title: string;
  blocks: Block[];
}

export interface PackageSpec {
  /** The folder the package folder and zip are written in. */
  outDir: string;
  /** The package folder's name (safe as a file name); the zip is this + .zip. */
  name: string;
  campaign: Campaign;
  statuses: readonly DepartmentStatus[];
  dataDate: string;
  materials: MaterialPlan;
  /** A department's own package: its official name, the author of its files and the 填报单位 of its 清单. */
  unit?: string;
  /**
   * Writes the workbook at `path` and returns the figures the documents need, and the second
   * file it wrote beside it (the added sheets, when the template's structure is protected).
   */
  writeWorkbook: (path: string) => Promise<{ totals: Record<string, number | undefined>; secondFile?: string }>;
  /** The Word documents, drafted once the totals are known. */
  documents: (totals: Record<string, number | undefined>) => Promise<PackageDocument[]>;
  /** --force: an existing package is replaced (else it stays, even one another run put there meanwhile). */
  replace?: boolean;
  /** Told as the materials are copied (done of total), then once when the copying is over: a command draws a progress line. */
  onCopied?: (done: number, total: number) => void;
  onCopiedAll?: () => void;
  /** Told when Ctrl-C or a closed window stops the build (the half-built package is removed, the previous one stays). */
  onInterrupt: () => void;
}

export interface PackageResult {
  folder: string;
  zip: string;
  files: PackagedFile[];
  zipBytes: number;
}

/** The statistics table's file in a package, named after its unit like every file there. */
export const workbookFileName = (campaign: Campaign, unit: string): string => unitFileName(unit, `${safeFileName(campaign.table_title)}.xlsx`);

/** How much of the package the zip may take from memory instead of reading it again. */
const IN_MEMORY = 128 * 1024 ** 2;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const partial = (name: string) => `.${name}.partial-`;
const aside = (name: string) => `.${name}.old-`;

/**
 * Leftovers of earlier runs stopped hard (power cut, killed), by process: half-built packages
 * are removed. A swap is complete once its half-built folder has gone into place: before that,
 * a zip it had already placed is taken out again and the previous package (moved aside for the
 * swap) put back, so folder and zip always belong together; after it, the previous one is
 * removed. Entries of a process that still runs are left alone.
 */
export function settleLeftovers(outDir: string, name: string): void {
  if (!existsSync(outDir)) return;
  const kinds = { folder: partial(name), zip: partial(`${name}.zip`), oldFolder: aside(name), oldZip: aside(`${name}.zip`) };
  const byPid = new Map<number, Partial<Record<keyof typeof kinds, string>>>();
  for (const entry of readdirSync(outDir))
    for (const [kind, prefix] of Object.entries(kinds) as [keyof typeof kinds, string][]) {
      const pid = entry.startsWith(prefix) ? Number(entry.slice(prefix.length)) : NaN;
      if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) byPid.set(pid, { ...byPid.get(pid), [kind]: join(outDir, entry) });
    }
  const folder = join(outDir, name);
  const zip = `${folder}.zip`;
  for (const left of byPid.values()) {
    const unfinished = left.folder !== undefined;
    if (unfinished && left.zip && isSameFile(left.zip, zip)) rmSync(zip, { force: true });
    for (const [old, place] of [[left.oldFolder, folder], [left.oldZip, zip]] as const) {
      if (old === undefined) continue;
      if (unfinished && !existsSync(place)) renameSync(old, place);
      else rmSync(old, { recursive: true, force: true });
    }
    for (const path of [left.folder, left.zip]) if (path) rmSync(path, { recursive: true, force: true });
  }
}

/** Room for the folder and the zip (materials are stored, not compressed: about twice their size). */
async function checkSpace(outDir: string, materialBytes: number): Promise<void> {
  const need = 2 * materialBytes + 64 * 1024 ** 2;
  const fs = await statfs(outDir).catch(() => undefined);
  if (!fs) return; // not every file system answers; the write itself will then say
  const free = fs.bavail * fs.bsize;
  if (free < need) throw new ReportError('pack/no-space', { need: formatSize(need), free: formatSize(free), dir: outDir });
}

/**
 * Builds the package and moves it into place. Throws ReportError when it cannot. The caller
 * has run settleLeftovers first: before it decides whether an existing package is in the way.
 */
export async function buildPackage(spec: PackageSpec): Promise<PackageResult> {
  const { outDir, name } = spec;
  await mkdir(outDir, { recursive: true });
  await checkSpace(outDir, spec.materials.totalBytes);

  const folder = join(outDir, name);
  const zip = join(outDir, `${name}.zip`);
  const tmp = join(outDir, `${partial(name)}${process.pid}`);
  const tmpZip = join(outDir, `${partial(`${name}.zip`)}${process.pid}`);
  const cleanUp = () => {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(tmpZip, { force: true });
  };
  // Ctrl-C or a closed window while building: the half-built package goes, the previous one stays.
  const forget = [removeOnInterrupt(tmp, spec.onInterrupt), removeOnInterrupt(tmpZip, spec.onInterrupt)];
  try {
    await mkdir(tmp);
    const staging = new Staging(tmp);
    const unit = spec.unit ?? spec.campaign.issuer;
    await stageWorkbookAndDocuments(spec, staging, unit);
    await stageMaterials(spec, staging);
    const { manifestName, manifest, zipBytes } = await finishStaging(spec, staging, unit, tmpZip);
    placePackage({ tmp, tmpZip, folder, zip, replace: spec.replace === true });
    // In place: Ctrl-C from now on must not say that no package was written.
    for (const f of forget) f();
    await syncFolder(outDir);
    return { folder, zip, files: [{ path: manifestName, size: manifest.length, sha256: sha256(manifest) }, ...staging.files], zipBytes };
  } catch (error) {
    cleanUp();
    if (error instanceof ReportError) throw error;
    // An OS error in the catalogue's words; anything else is a bug, and shows as one.
    if (!(error as NodeJS.ErrnoException).code) throw error;
    throw new ReportError('usage/write-failed', { file: folder, reason: osReason(error) });
  } finally {
    for (const f of forget) f();
  }
}

/** The half-built package folder: the files in it so far, and the bytes the zip may take from memory. */
class Staging {
  readonly files: PackagedFile[] = [];
  /** Bytes already in memory go into the zip from there, up to a budget; the rest is read again. */
  readonly inMemory = new Map<string, Buffer>();
  private kept = 0;
  constructor(readonly tmp: string) {}

  /** Keeps `bytes` of `path` for the zip while the budget lasts. */
  keep(path: string, bytes: Buffer | undefined): void {
    if (!bytes || this.kept + bytes.length > IN_MEMORY) return;
    this.inMemory.set(path, bytes);
    this.kept += bytes.length;
  }

  /** Writes a new file into the folder and lists it. */
  async add(path: string, bytes: Buffer): Promise<void> {
    await writeFile(onDisk(this.tmp, path), bytes, { flag: 'wx' });
    this.files.push({ path, size: bytes.length, sha256: sha256(bytes) });
    this.keep(path, bytes);
  }
}

/** The statistics workbook (and its second file), then the Word documents drafted with its totals. */
async function stageWorkbookAndDocuments(spec: PackageSpec, staging: Staging, unit: string): Promise<void> {
  const { tmp } = staging;
  const workbook = workbookFileName(spec.campaign, unit);
  const { totals, secondFile } = await spec.writeWorkbook(onDisk(tmp, workbook));
  // A template whose structure is protected: the added sheets are a second workbook beside the table.
  const workbooks = secondFile ? [workbook, posix.join(posix.dirname(workbook), basename(secondFile))] : [workbook];
  for (const path of workbooks) {
    const written = await readFile(onDisk(tmp, path));
    staging.files.push({ path, size: written.length, sha256: sha256(written) });
    staging.keep(path, written);
  }
  for (const doc of await spec.documents(totals))
    await staging.add(doc.file, await writeDocx(doc.blocks, { title: doc.title, author: unit, date: spec.dataDate }));
}

/** A few copies at a time: a province's thousands of small pictures wait on the disk, not the processor. */
async function stageMaterials(spec: PackageSpec, staging: Staging): Promise<void> {
  const { tmp } = staging;
  const copies = spec.materials.copies;
  const digests = new Array<PackagedFile>(copies.length);
  let next = 0;
  let copied = 0;
  const worker = async () => {
    for (let i = next++; i < copies.length; i = next++) {
      const c = copies[i]!;
      const { bytes, ...digest } = await copyWithDigest(c.from, onDisk(tmp, c.to), c.size).catch((error: unknown) => {
        // Which material, not only the OS's word: the clerk has to find it among hundreds.
        if (!(error as NodeJS.ErrnoException).code) throw error;
        throw new ReportError('pack/material-failed', { name: c.department, value: c.written, to: c.to, reason: osReason(error) });
      });
      digests[i] = { path: c.to, ...digest };
      staging.keep(c.to, bytes);
      spec.onCopied?.(++copied, copies.length);
    }
  };
  await makeFolders(tmp, spec.materials);
  await Promise.all(Array.from({ length: 8 }, worker));
  spec.onCopiedAll?.();
  staging.files.push(...digests);
}

/** The 清单 of every file, the zip of the folder, and every byte of both on the disk. */
async function finishStaging(spec: PackageSpec, staging: Staging, unit: string, tmpZip: string): Promise<{ manifestName: string; manifest: Buffer; zipBytes: number }> {
  const { tmp, files, inMemory } = staging;
  const manifestName = unitFileName(unit, MANIFEST_NAME);
  const manifest = manifestText({ ...spec, files, sources: sourceDigests(spec), limit: MATERIAL_LIMIT });
  await writeFile(join(tmp, manifestName), manifest, { flag: 'wx' });
  const entries = [{ path: manifestName, size: manifest.length }, ...files];
  staging.keep(manifestName, manifest);
  const sources = entries.map((f) => ({ path: onDisk(tmp, f.path), name: `${spec.name}/${f.path}`, size: f.size, ...(inMemory.has(f.path) && { bytes: inMemory.get(f.path)! }) }));
  await zipFiles(sources, tmpZip, spec.dataDate);
  inMemory.clear();
  const zipBytes = (await stat(tmpZip)).size;
  // The disk holds every byte before any name changes: a power cut leaves the old package or the new, never empty files.
  for (const f of entries) await syncFile(onDisk(tmp, f.path));
  await syncFile(tmpZip);
  return { manifestName, manifest, zipBytes };
}

/**
 * Puts the built folder and zip in place of the previous package: both or neither. Synchronous,
 * so Ctrl-C (handled between tasks) comes before or after it, never in the middle.
 * Without `replace`, an existing folder or zip is never replaced, even one another run put there
 * a moment ago: the zip is hard-linked (which fails when a file has the name) and the folder
 * renamed (which fails when a folder with anything in it has the name); the first run to place
 * its package keeps it, the other refuses as merge does. With `replace`, the previous folder
 * and zip are moved aside first: a zip that cannot be moved (open in another program on
 * Windows) stops the swap before anything changed, and a failure later puts them back.
 */
function placePackage(p: { tmp: string; tmpZip: string; folder: string; zip: string; replace: boolean }): void {
  const outDir = dirname(p.folder);
  const name = basename(p.folder);
  const moved: [string, string][] = [];
  const placed: string[] = [];
  let current = p.zip;
  try {
    if (p.replace)
      for (const [path, old] of [[p.zip, join(outDir, `${aside(`${name}.zip`)}${process.pid}`)], [p.folder, join(outDir, `${aside(name)}${process.pid}`)]] as const) {
        current = path;
        if (!existsSync(path)) continue;
        renameSync(path, old);
        moved.push([path, old]);
      }
    current = p.zip;
    linkOrCopySync(p.tmpZip, p.zip);
    placed.push(p.zip);
    current = p.folder;
    renameSync(p.tmp, p.folder);
  } catch (error) {
    for (const path of placed) rmSync(path, { force: true });
    for (const [path, old] of moved.reverse()) renameSync(old, path);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // Another run's package got there first (Windows says EPERM where Linux says ENOTEMPTY).
    if (!p.replace && ['EEXIST', 'ENOTEMPTY', 'EPERM'].includes(code) && existsSync(current)) throw new ReportError('usage/output-exists', { file: shownPath(current) });
    if (code) throw new ReportError('pack/not-replaced', { file: shownPath(current), reason: osReason(error) });
    throw error;
  }
  rmSync(p.tmpZip, { force: true });
  for (const [, old] of moved) rmSync(old, { recursive: true, force: true });
}

/**
 * Each department's submission file (with a merged table's second workbook) and summary file,
 * for the manifest, with the size and SHA-256 of the bytes that were checked and merged, not of
 * the files as they may be now.
 */
function sourceDigests(spec: PackageSpec): SourceFile[] {
  const out: SourceFile[] = [];
  for (const s of spec.statuses) {
    if (s.files.length !== 1 || !s.checked?.sha256 || s.checked.size === undefined) continue;
    out.push({ department: s.name, path: s.files[0]!, size: s.checked.size, sha256: s.checked.sha256 });
    const second = s.checked.secondFile;
    if (second) out.push({ department: s.name, path: posix.join(posix.dirname(s.files[0]!), second.file), size: second.size, sha256: second.sha256 });
    const submission = s.checked.submission;
    if (submission?.summaryFile && submission.summaryDigest) out.push({ department: s.name, path: submission.summaryFile, ...submission.summaryDigest });
  }
  return out;
}
