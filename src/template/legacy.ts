/**
 * Templates that are not plain .xlsx: a legacy .xls is converted with LibreOffice headless
 * when `soffice` is installed (and the output says so), otherwise refused with what to do;
 * an encrypted workbook (an OLE file holding EncryptedPackage) and an OpenDocument sheet
 * (.ods) are named as such. Nothing from a zip or XML library reaches the user.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReportError } from '../diagnostics.js';
import { readBytes } from '../source/read.js';
import { hasOleStream, sniff } from '../xlsx/cells.js';

/** The largest template read: an official table is a few hundred KiB; a workbook of pictures a few MiB. */
const MAX_TEMPLATE_BYTES = 64 * 1024 * 1024;

export type TemplateKind = 'xlsx' | 'xls' | 'encrypted' | 'ods' | 'other';

/** What a template file is, by its bytes (never by its name alone): cells.ts's sniff, told apart further. */
export function templateKind(bytes: Uint8Array): TemplateKind {
  const kind = sniff(bytes);
  // An OLE file that is no workbook (a .doc) has neither stream.
  if (kind === 'legacy') return hasOleStream(bytes, 'Workbook') || hasOleStream(bytes, 'Book') ? 'xls' : 'other';
  if (kind === 'zip') {
    // An OpenDocument package starts with an uncompressed `mimetype` entry naming its kind.
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    return head.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet') ? 'ods' : 'xlsx';
  }
  return kind;
}

/** `soffice` on PATH, if any. */
export function findSoffice(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice']) {
      const path = join(dir, name);
      if (dir && existsSync(path)) return path;
    }
  }
  return undefined;
}

/** A template's bytes as .xlsx, and how they were obtained. */
export interface TemplateBytes {
  bytes: Uint8Array;
  /** Set when a legacy .xls was converted by LibreOffice. */
  converted?: boolean;
}

/**
 * Reads a template as .xlsx bytes: as it is, or converted from .xls by LibreOffice.
 * Throws ReportError (exit 2) for what cannot be used, saying what it is and what to do.
 */
export async function readTemplate(path: string, shown: string): Promise<TemplateBytes> {
  // A regular file only, and a bounded one: a FIFO or /dev/zero given as the template never hangs the merge.
  const read = readBytes(path, MAX_TEMPLATE_BYTES);
  if (!read.bytes) {
    if (!existsSync(path)) throw new ReportError('file/not-found', { path: shown });
    throw new ReportError('template/unreadable', { file: shown, reason: read.failure?.message ?? '' });
  }
  const bytes = new Uint8Array(read.bytes);
  switch (templateKind(bytes)) {
    case 'xlsx':
      return { bytes };
    case 'encrypted':
      throw new ReportError('template/encrypted', { file: shown });
    case 'ods':
      throw new ReportError('template/ods', { file: shown });
    case 'other':
      throw new ReportError('template/not-xlsx', { file: shown });
    case 'xls': {
      const soffice = findSoffice();
      if (!soffice) throw new ReportError('template/xls-refused', { file: shown });
      return { bytes: await convertXls(soffice, bytes, shown), converted: true };
    }
  }
}

/** Converts .xls bytes to .xlsx with LibreOffice headless, in a private profile and folder. */
async function convertXls(soffice: string, bytes: Uint8Array, shown: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'report-xls-'));
  try {
    const input = join(dir, 'template.xls');
    await writeFile(input, bytes);
    const profile = pathToFileURL(join(dir, 'profile')).href;
    const args = [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', join(dir, 'out'), input];
    await new Promise<void>((resolve, reject) =>
      execFile(soffice, args, { timeout: 120_000 }, (error) => (error ? reject(error) : resolve())),
    );
    const out = join(dir, 'out', `${basename(input, '.xls')}.xlsx`);
    const converted = new Uint8Array(await readFile(out));
    if (templateKind(converted) !== 'xlsx') throw new Error('no xlsx');
    return converted;
  } catch {
    throw new ReportError('template/xls-failed', { file: shown });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
