/**
 * The package for higher authorities: one folder and a zip of it beside it, built under
 * temporary names and renamed into place only when complete. An interrupted run
 * (Ctrl-C, a closed window) removes what it built and leaves the previous package as it
 * was; after a harder stop (power cut, killed) the next run tidies up (settleLeftovers).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import { ReportError } from '../diagnostics.js';
import { progress, type Io } from '../io.js';
import { t } from '../messages/index.js';
import type { DepartmentStatus } from '../model.js';
import { resolveBeside } from '../submission/rules.js';
import { writeDocx, type Block } from './docx.js';
import { MANIFEST_NAME, manifestText, type PackagedFile, type SourceFile } from './manifest.js';
import { copyWithDigest, MATERIAL_LIMIT, onDisk, type MaterialPlan } from './materials.js';
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
  /** The submission file of a department, for the manifest's source hashes. */
  sourceOf: (s: DepartmentStatus) => string;
  /** Writes the workbook at `path` and returns the figures the documents need. */
  writeWorkbook: (path: string) => Promise<{ totals: Record<string, number | undefined> }>;
  /** The Word documents, drafted once the totals are known. */
  documents: (totals: Record<string, number | undefined>) => Promise<PackageDocument[]>;
  io: Io;
}

export interface PackageResult {
  folder: string;
  zip: string;
  files: PackagedFile[];
  zipBytes: number;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const partial = (name: string) => `.${name}.partial-`;
const aside = (name: string) => `.${name}.old-`;

/**
 * Leftovers of earlier runs stopped hard (power cut, killed): half-built packages are
 * removed; a previous package that was moved aside for the swap is put back when nothing
 * took its place, else removed. Entries of a process that still runs are left alone.
 */
export function settleLeftovers(outDir: string, name: string): void {
  if (!existsSync(outDir)) return;
  for (const entry of readdirSync(outDir)) {
    for (const prefix of [partial(name), partial(`${name}.zip`), aside(name)]) {
      if (!entry.startsWith(prefix)) continue;
      const pid = Number(entry.slice(prefix.length));
      if (pid === process.pid || isRunning(pid)) continue;
      const path = join(outDir, entry);
      if (prefix === aside(name) && !existsSync(join(outDir, name))) renameSync(path, join(outDir, name));
      else rmSync(path, { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Room for the folder and the zip (materials are stored, not compressed: about twice their size). */
async function checkSpace(outDir: string, materialBytes: number): Promise<void> {
  const need = 2 * materialBytes + 64 * 1024 ** 2;
  const fs = await statfs(outDir).catch(() => undefined);
  if (!fs) return; // not every file system answers; the write itself will then say
  const free = fs.bavail * fs.bsize;
  if (free < need) {
    const { formatSize } = await import('./names.js');
    throw new ReportError('pack/no-space', { need: formatSize(need), free: formatSize(free), dir: outDir });
  }
}

/** Builds the package and moves it into place. Throws ReportError when it cannot. */
export async function buildPackage(spec: PackageSpec): Promise<PackageResult> {
  const { outDir, name, io } = spec;
  await mkdir(outDir, { recursive: true });
  settleLeftovers(outDir, name);
  await checkSpace(outDir, spec.materials.totalBytes);

  const folder = join(outDir, name);
  const zip = join(outDir, `${name}.zip`);
  const tmp = join(outDir, `${partial(name)}${process.pid}`);
  const tmpZip = join(outDir, `${partial(`${name}.zip`)}${process.pid}`);
  const old = join(outDir, `${aside(name)}${process.pid}`);
  const cleanUp = () => {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(tmpZip, { force: true });
  };
  // Ctrl-C or a closed window while building: remove the half-built package, keep the previous one.
  const interrupted = (signal: NodeJS.Signals) => {
    cleanUp();
    io.stderr(t('pack/interrupted'));
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, interrupted);
  try {
    await mkdir(tmp);
    const files: PackagedFile[] = [];
    const add = async (path: string, bytes: Uint8Array) => {
      await writeFile(onDisk(tmp, path), bytes, { flag: 'wx' });
      files.push({ path, size: bytes.length, sha256: sha256(bytes) });
    };

    const workbook = `${spec.campaign.table_title}.xlsx`;
    const { totals } = await spec.writeWorkbook(onDisk(tmp, workbook));
    const written = await readFile(onDisk(tmp, workbook));
    files.push({ path: workbook, size: written.length, sha256: sha256(written) });
    for (const doc of await spec.documents(totals))
      await add(doc.file, await writeDocx(doc.blocks, { title: doc.title, author: spec.campaign.issuer, date: spec.dataDate }));

    const bar = progress(io);
    let copied = 0;
    for (const c of spec.materials.copies) {
      files.push({ path: c.to, ...(await copyWithDigest(c.from, onDisk(tmp, c.to))) });
      bar.update(t('ui/progress-copy', { done: ++copied, total: spec.materials.copies.length }));
    }
    bar.done();

    const manifest = manifestText({ ...spec, files, sources: await sourceDigests(spec), limit: MATERIAL_LIMIT });
    await writeFile(join(tmp, MANIFEST_NAME), manifest, { flag: 'wx' });
    const entries = [{ path: MANIFEST_NAME, size: manifest.length }, ...files];
    await zipFiles(entries.map((f) => ({ path: onDisk(tmp, f.path), name: `${name}/${f.path}`, size: f.size })), tmpZip, spec.dataDate);
    const zipBytes = (await stat(tmpZip)).size;

    // Into place: the previous package moves aside only for the moment of the swap.
    const hadFolder = existsSync(folder);
    if (hadFolder) await rename(folder, old);
    try {
      await rename(tmp, folder);
    } catch (error) {
      if (hadFolder) await rename(old, folder);
      throw error;
    }
    await rename(tmpZip, zip);
    if (hadFolder) await rm(old, { recursive: true, force: true });
    return { folder, zip, files: [{ path: MANIFEST_NAME, size: manifest.length, sha256: sha256(manifest) }, ...files], zipBytes };
  } catch (error) {
    cleanUp();
    if (error instanceof ReportError) throw error;
    throw new ReportError('usage/write-failed', { file: folder, reason: error instanceof Error ? error.message : String(error) });
  } finally {
    for (const s of signals) process.off(s, interrupted);
  }
}

/** SHA-256 of each merged department's submission file and its summary file, for the manifest. */
async function sourceDigests(spec: PackageSpec): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const s of spec.statuses) {
    const source = spec.sourceOf(s);
    for (const file of s.files.length === 1 && s.checked ? [{ shown: s.files[0]!, path: source }] : []) {
      const bytes = await readFile(file.path);
      out.push({ department: s.name, path: file.shown, size: bytes.length, sha256: sha256(bytes) });
      const summaryFile = s.checked?.submission?.summaryFile;
      const where = summaryFile ? resolveBeside(source, summaryFile) : undefined;
      if (where?.ok) {
        const text = await readFile(where.path);
        out.push({ department: s.name, path: summaryFile!, size: text.length, sha256: sha256(text) });
      }
    }
  }
  return out;
}
