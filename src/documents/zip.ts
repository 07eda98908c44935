/**
 * The package folder's zip, with fixed dates so the same contents give the same bytes,
 * streamed from disk (large videos never held in memory, zip64 when needed, UTF-8 names,
 * media stored as they are). yazl writes it; Word and Excel packages, which are in memory
 * and small enough for plain zip, are written by zipPackage (src/xlsx/zip.ts).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { deflateLevel, zipDay } from '../xlsx/zip.js';

/**
 * The zip date of every entry: the day at 00:00 as a wall clock. yazl reads a Date's local
 * fields, so the Date is built from local fields too: the same day on any time zone.
 * The extended (UTC) timestamp field is left out for the same reason.
 */
function entryOptions(day: string) {
  const [y, m, d] = zipDay(day).split('-').map(Number) as [number, number, number];
  return { mtime: new Date(y, m - 1, d), mode: 0o100644, forceDosTimestamp: true };
}

/** Compressed formats gain nothing from deflate: stored as they are (fast, and the bytes stay whole). */
const PACKED = /\.(png|jpe?g|gif|webp|heic|heif|bmp|tiff?|mp4|m4v|mov|avi|mkv|wmv|flv|3gp|webm|mpe?g|ts|mp3|m4a|aac|wav|amr|ogg|zip|rar|7z|gz|xz|bz2|docx|xlsx|pptx|wps|et|dps|ofd|pdf)$/i;

const isPacked = (name: string) => PACKED.test(name);

/** One file of a folder to zip: where it is on disk and its name inside the zip. */
export interface ZipSource {
  path: string;
  name: string;
  size: number;
  /** The file's bytes, when already in memory (then it is not read again). */
  bytes?: Buffer;
}

/** Deflate level of an entry: none for packed formats, else deflateLevel's. */
const levelFor = (name: string, size: number) => (isPacked(name) ? 0 : deflateLevel(size));

/**
 * Streams `files` into a zip at `out`, one file open at a time (or from memory, when its
 * bytes are given). Entries of 4 GiB or more
 * (or past 4 GiB into the archive) get zip64 records (yazl decides from the sizes).
 */
export async function zipFiles(files: readonly ZipSource[], out: string, day: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const options = entryOptions(day);
  const failed = new Promise<never>((_, reject) => zip.on('error', reject));
  failed.catch(() => {}); // raced below; an error after the race is over has nowhere to go
  for (const f of files) {
    if (f.bytes) {
      zip.addBuffer(f.bytes, f.name, { ...options, compressionLevel: levelFor(f.name, f.size) });
      continue;
    }
    zip.addReadStreamLazy(f.name, { ...options, size: f.size, compressionLevel: levelFor(f.name, f.size) }, (cb) => {
      // yazl pipes the stream without listening for its errors: pass them on.
      const stream = createReadStream(f.path).on('error', (error) => zip.emit('error', error));
      cb(null, stream);
    });
  }
  zip.end();
  await Promise.race([pipeline(zip.outputStream, createWriteStream(out)), failed]);
}
