/**
 * What an uploaded file is, from its bytes, never from the browser's word: the name's extension
 * says what the sender means, the first bytes must agree. Names from uploads become safe single
 * file names; a name carrying a path is refused.
 */
import { safeFileName } from '../fs.js';
import { MAX_SUBMISSION_BYTES } from '../source/read.js';
import { MAX_WORKBOOK_BYTES } from '../submission/workbook-file.js';
import { MATERIAL_LIMIT } from '../documents/materials.js';

export type UploadKind = 'workbook' | 'yaml' | 'docx' | 'picture' | 'video';

/** Each kind: extensions, the largest file, and a test of the first bytes. */
const KINDS: Record<UploadKind, { ext: RegExp; limit: number }> = {
  workbook: { ext: /\.(xlsx|xlsm)$/i, limit: MAX_WORKBOOK_BYTES },
  yaml: { ext: /\.ya?ml$/i, limit: MAX_SUBMISSION_BYTES },
  docx: { ext: /\.docx$/i, limit: 200 * 1024 ** 2 },
  picture: { ext: /\.(jpe?g|png|gif|bmp|webp|tiff?)$/i, limit: MATERIAL_LIMIT },
  video: { ext: /\.(mp4|m4v|mov|avi|wmv|mkv|webm|flv|3gp|mpe?g)$/i, limit: MATERIAL_LIMIT },
};

/** The kind a name asks for, or undefined when the tool takes no such file. */
export function kindOfName(name: string): UploadKind | undefined {
  return (Object.keys(KINDS) as UploadKind[]).find((k) => KINDS[k].ext.test(name));
}

export const limitOf = (kind: UploadKind): number => KINDS[kind].limit;

const starts = (b: Buffer, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);
const ascii = (b: Buffer, text: string, at = 0) => b.subarray(at, at + text.length).toString('latin1') === text;

/** True when the first bytes (up to 64 KB) and the last (for a zip's directory) are what the kind says. */
export function contentMatches(kind: UploadKind, head: Buffer, tail: Buffer): boolean {
  const isZip = starts(head, [0x50, 0x4b, 0x03, 0x04]);
  const names = (part: string) => head.includes(part, 0, 'latin1') || tail.includes(part, 0, 'latin1');
  switch (kind) {
    case 'workbook':
      return isZip && names('xl/') && !names('word/document');
    case 'docx':
      return isZip && names('word/');
    case 'yaml':
      // Text: no NUL byte (UTF-16 is refused by the check itself with its own message), and not another format.
      return !isZip && !head.subarray(0, 8192).includes(0) || starts(head, [0xff, 0xfe]) || starts(head, [0xfe, 0xff]);
    case 'picture':
      return (
        starts(head, [0xff, 0xd8, 0xff]) ||
        starts(head, [0x89, 0x50, 0x4e, 0x47]) ||
        ascii(head, 'GIF8') ||
        ascii(head, 'BM') ||
        (ascii(head, 'RIFF') && ascii(head, 'WEBP', 8)) ||
        starts(head, [0x49, 0x49, 0x2a, 0x00]) ||
        starts(head, [0x4d, 0x4d, 0x00, 0x2a])
      );
    case 'video':
      return (
        ascii(head, 'ftyp', 4) ||
        (ascii(head, 'RIFF') && ascii(head, 'AVI ', 8)) ||
        starts(head, [0x1a, 0x45, 0xdf, 0xa3]) ||
        starts(head, [0x30, 0x26, 0xb2, 0x75]) ||
        ascii(head, 'FLV') ||
        starts(head, [0x00, 0x00, 0x01, 0xba]) ||
        starts(head, [0x00, 0x00, 0x01, 0xb3]) ||
        head[0] === 0x47
      );
  }
}

/**
 * The name to store an upload under: one safe file name. Undefined for a name that carries a
 * path (a/b, ..\x, C:\…) or nothing at all: browsers send only the file's own name, so such a
 * name is not from a browser's file chooser.
 */
export function uploadName(given: string): string | undefined {
  const name = given.normalize('NFC').trim();
  if (!name || /[/\\\u0000]/.test(name) || /^[a-zA-Z]:/.test(name) || name === '.' || name === '..' || name.startsWith('.')) return undefined;
  return safeFileName(name);
}
