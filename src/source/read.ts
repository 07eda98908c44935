/**
 * Bytes to text. Clerks' files come from Windows Notepad and WPS: UTF-8 with or
 * without a BOM, UTF-16 from "Unicode" saves, or GBK/GB18030 from older editors.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import { makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { formatSize } from '../fs.js';
import { osReason, t, type MessageCode } from '../messages/index.js';

/** Largest submission accepted: a full submission with 50 cases is well under 200 KiB. */
export const MAX_SUBMISSION_BYTES = 2 * 1024 * 1024;

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
// Node's own ICU decoder: GB18030 is a superset of GBK and GB2312, so it reads every Chinese Windows file.
const gb18030 = new TextDecoder('gb18030', { fatal: true });

/** Decode a file's bytes, or explain why it cannot be read as text. */
export function decodeText(bytes: Uint8Array): DecodedText | Diagnostic {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16 };
  if (looksBinary(bytes)) return makeDiagnostic('error', 'file/binary');
  try {
    // TextDecoder drops a UTF-8 BOM by itself (ignoreBOM: false).
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return { text: gb18030.decode(bytes), encoding: 'gb18030' };
    } catch {
      return makeDiagnostic('error', 'file/encoding');
    }
  }
}

/**
 * UTF-16 saved without its byte-order mark (some editors' "Unicode" without BOM): keys,
 * spaces and line ends are ASCII, so every second byte is 0 — all on the odd bytes for
 * little-endian, on the even ones for big-endian. A binary file has its zeros anywhere.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 4000) & ~1;
  if (n < 8) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  // A few zeros on the other side are characters such as 一 (U+4E00).
  if (odd >= pairs * 0.3 && even <= pairs * 0.05) return 'utf-16le';
  if (even >= pairs * 0.3 && odd <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Zip containers (xlsx, docx) and other binaries carry NUL bytes early on; text never does. */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

export interface FileBytes {
  bytes?: Buffer;
  sha256?: string;
  mtimeMs?: number;
  /** Set when the file could not be read; nothing else is then known. */
  failure?: Diagnostic;
}

export interface ReadResult extends Omit<FileBytes, 'bytes'> {
  text?: string;
  encoding?: TextEncoding;
}

/**
 * Read a file of at most `limit` bytes, with its hash. Only a regular file is read: a FIFO, a
 * device (a link to /dev/zero) or a folder named like a submission is refused at once, never
 * read as an endless stream; it is opened without waiting (a FIFO's open would wait for a
 * writer) and looked at through the open handle, so it cannot be swapped in between. Never
 * throws for a bad file: the failure is a diagnostic.
 */
export function readBytes(path: string | Buffer, limit = MAX_SUBMISSION_BYTES, tooLarge: 'file/too-large' | 'workbook/too-large' = 'file/too-large'): FileBytes {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    if (!info.isFile()) return { failure: makeDiagnostic('error', 'file/not-regular', { kind: t(fileKind(info)) }) };
    if (info.size > limit)
      return { mtimeMs: info.mtimeMs, failure: makeDiagnostic('error', tooLarge, { size: formatSize(info.size), limit: formatSize(limit) }) };
    // At most one byte past the limit, however the file grows while it is read.
    const buffer = Buffer.alloc(Math.min(info.size, limit) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > limit) return { mtimeMs: info.mtimeMs, failure: makeDiagnostic('error', tooLarge, { size: formatSize(length), limit: formatSize(limit) }) };
    const bytes = buffer.subarray(0, length);
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), mtimeMs: info.mtimeMs };
  } catch (error) {
    return { failure: makeDiagnostic('error', 'file/unreadable', { reason: osReason(error) }) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a file that is not a regular one is, in the catalogue's words. */
function fileKind(info: Stats): MessageCode {
  if (info.isDirectory()) return 'file/kind-folder';
  if (info.isFIFO()) return 'file/kind-fifo';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'file/kind-device';
  if (info.isSocket()) return 'file/kind-socket';
  return 'file/kind-other';
}

/** Read a submission-sized text file. Never throws for a bad file: the failure is a diagnostic. */
export function readTextFile(path: string | Buffer, limit = MAX_SUBMISSION_BYTES): ReadResult {
  const { bytes, ...read } = readBytes(path, limit);
  if (!bytes) return read;
  const decoded = decodeText(bytes);
  if ('severity' in decoded) return { ...read, failure: decoded };
  return { ...read, ...decoded };
}

