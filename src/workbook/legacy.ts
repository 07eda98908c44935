/**
 * Templates that are not plain .xlsx: a legacy .xls is converted with LibreOffice headless
 * when `soffice` is installed (and the output says so), otherwise refused with what to do;
 * an encrypted workbook (an OLE file holding EncryptedPackage) and an OpenDocument sheet
 * (.ods) are named as such. Nothing from a zip or XML library reaches the user.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ReportError } from '../diagnostics.js';

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);
/** A stream name as an OLE directory stores it (UTF-16LE). */
const hasStream = (bytes: Uint8Array, name: string) => Buffer.from(bytes).includes(Buffer.from(name, 'utf16le'));

export type TemplateKind = 'xlsx' | 'xls' | 'encrypted' | 'ods' | 'other';

/** What a template file is, by its bytes (never by its name alone). */
export function templateKind(bytes: Uint8Array): TemplateKind {
  if (startsWith(bytes, OLE_MAGIC)) {
    if (hasStream(bytes, 'EncryptedPackage')) return 'encrypted';
    return hasStream(bytes, 'Workbook') || hasStream(bytes, 'Book') ? 'xls' : 'other';
  }
  if (startsWith(bytes, ZIP_MAGIC)) {
    // An OpenDocument package starts with an uncompressed `mimetype` entry naming its kind.
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    if (head.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) return 'ods';
    return 'xlsx';
  }
  return 'other';
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
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportError(code === 'ENOENT' ? 'file/not-found' : 'template/unreadable', { path: shown, file: shown });
  }
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
