/**
 * What a material really is, by its first bytes: a Windows or other executable (never sent
 * upward), an empty file, or a picture or video whose content is not what its name says.
 * `validate` (rules.ts checkOutside) and `pack` (materials.ts, pack.ts) ask the same question.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import type { MessageCode } from '../messages/index.js';

export interface MaterialConcern {
  severity: 'error' | 'warning';
  code: MessageCode;
  params: Record<string, string>;
}

/** Names that run when opened on Windows (or elsewhere): never a picture, video or document. */
const RUNNABLE = /\.(exe|com|bat|cmd|scr|msi|pif|cpl|vbs|vbe|js|jse|wsf|wsh|ps1|lnk|dll|jar|hta|reg|sh|apk|app)$/i;

/** The first bytes of executables: PE (MZ), ELF, Mach-O. */
const EXECUTABLE: [string, number[]][] = [
  ['Windows', [0x4d, 0x5a]],
  ['ELF', [0x7f, 0x45, 0x4c, 0x46]],
  ['Mach-O', [0xcf, 0xfa, 0xed, 0xfe]],
  ['Mach-O', [0xce, 0xfa, 0xed, 0xfe]],
  ['Mach-O', [0xca, 0xfe, 0xba, 0xbe]],
];

/** Pictures and videos by extension, and a test of their first bytes. */
const MEDIA: { ext: RegExp; kind: 'picture' | 'video'; is: (b: Buffer) => boolean }[] = [
  { ext: /^\.jpe?g$/i, kind: 'picture', is: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { ext: /^\.png$/i, kind: 'picture', is: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: /^\.gif$/i, kind: 'picture', is: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { ext: /^\.bmp$/i, kind: 'picture', is: (b) => b.subarray(0, 2).toString('latin1') === 'BM' },
  { ext: /^\.webp$/i, kind: 'picture', is: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { ext: /^\.(heic|heif)$/i, kind: 'picture', is: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
  { ext: /^\.(mp4|m4v|mov|3gp)$/i, kind: 'video', is: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' || b.subarray(4, 8).toString('latin1') === 'moov' || b.subarray(4, 8).toString('latin1') === 'wide' },
  { ext: /^\.avi$/i, kind: 'video', is: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 11).toString('latin1') === 'AVI' },
];

/** The concern about the material at `path` (written as `value`), if any; undefined for a file that cannot be read (said elsewhere). */
export function materialConcern(path: string, value: string): MaterialConcern | undefined {
  let head: Buffer;
  let size: number;
  try {
    const fd = openSync(path, 'r');
    try {
      size = fstatSync(fd).size;
      head = Buffer.alloc(16);
      head = head.subarray(0, readSync(fd, head, 0, 16, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const program = EXECUTABLE.find(([, magic]) => magic.every((b, i) => head[i] === b))?.[0];
  if (program || RUNNABLE.test(value)) return { severity: 'error', code: 'material/executable', params: { value } };
  if (size === 0) return { severity: 'warning', code: 'material/empty', params: { value } };
  const media = MEDIA.find((m) => m.ext.test(extname(value)));
  if (media && !media.is(head)) return { severity: 'warning', code: media.kind === 'picture' ? 'material/not-a-picture' : 'material/not-a-video', params: { value } };
  return undefined;
}
