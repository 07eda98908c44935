/**
 * The zip container of the packages this tool writes, and the post-processing of the
 * workbooks exceljs writes (the default template, the fill-in workbook):
 *
 * 1. Reproducibility: exceljs stamps every zip entry with the wall-clock time (JSZip's
 *    default), so two runs differ. Every entry is written with one fixed date.
 * 2. Size: the generated sheets' bodies are put in as XML (body.ts), and the package is
 *    compressed once, by node's zlib. The bytes are the same for the same inputs with the
 *    same Node (zlib) version; another zlib build may compress differently.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { once } from 'node:events';

const deflate = promisify(zlib.deflateRaw);

/**
 * The deflate level of a part of `size` bytes: big parts (a province's 总结 draft, tens of
 * MiB of XML) at level 1, a third of level 6's time for a little larger a file; others at 6.
 */
/** A part's bytes made on demand, block by block (see zipPackage). */
export type Chunks = () => Iterable<Uint8Array>;

export const deflateLevel = (size: number) => (size > 4 * 1024 ** 2 ? 1 : 6);

/** CRC-32 (the zip one) lookup table, for Node before 20.15, which has no zlib.crc32. */
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** The CRC-32 of `data` continuing from `value` (the CRC of what came before it). */
export function tableCrc32(data: Uint8Array, value = 0): number {
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const crc32: (data: Uint8Array, value?: number) => number = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32 ?? tableCrc32;

/** An entry's bytes deflated, with its size and CRC: a part in memory at once, chunks as they are made. */
async function packEntry(content: string | Uint8Array | Chunks): Promise<{ size: number; crc: number; packed: Buffer }> {
  if (typeof content !== 'function') {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return { size: data.length, crc: crc32(data), packed: await deflate(data, { level: deflateLevel(data.length) }) };
  }
  // Made parts are the generated sheets, tens of MiB at a province's scale: level 1 takes a
  // third of level 6's time for a file about a third larger (1,000 units: 10 MiB, not 7).
  const stream = zlib.createDeflateRaw({ level: 1 });
  const packed: Buffer[] = [];
  stream.on('data', (b: Buffer) => packed.push(b));
  const ended = once(stream, 'end');
  let size = 0;
  let crc = 0;
  for (const chunk of content()) {
    size += chunk.length;
    crc = crc32(chunk, crc);
    // Wait while zlib catches up: blocks are made no faster than they are compressed.
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
  stream.end();
  await ended;
  return { size, crc, packed: Buffer.concat(packed) };
}

/**
 * A day a zip entry can carry: zip dates run from 1980 to 2107, so a date outside (a
 * submission dated 1970, an --as-of of 2200) is taken to the nearest end rather than crash the write.
 */
export function zipDay(day: string): string {
  return day < '1980-01-01' ? '1980-01-01' : day > '2107-12-31' ? '2107-12-31' : day;
}

/**
 * A zip of `entries` (an xlsx or a docx), each deflated by node's zlib (level 6 for small
 * parts in memory, 1 for big ones and for parts made as they are written; on libuv's
 * threads, all at once) and stamped with `date` (UTC,
 * as JSZip did). Plain zip: no zip64, no extra fields.
 */
export async function zipPackage(entries: ReadonlyMap<string, string | Uint8Array | Chunks>, when: Date): Promise<Buffer> {
  const date = new Date(`${zipDay(when.toISOString().slice(0, 10))}T${when.toISOString().slice(11)}`);
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const files = await Promise.all(
    [...entries].map(async ([name, content]) => ({ name: Buffer.from(name, 'utf8'), ...(await packEntry(content)) })),
  );
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    // Bit 11: the name is UTF-8. Method 8: deflate.
    const common = (h: Buffer, at: number) => {
      h.writeUInt16LE(20, at);
      h.writeUInt16LE(0x0800, at + 2);
      h.writeUInt16LE(8, at + 4);
      h.writeUInt16LE(time, at + 6);
      h.writeUInt16LE(day, at + 8);
      h.writeUInt32LE(f.crc, at + 10);
      h.writeUInt32LE(f.packed.length, at + 14);
      h.writeUInt32LE(f.size, at + 18);
      h.writeUInt16LE(f.name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by: zip 2.0, MS-DOS attributes
    common(entry, 6);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, f.name, f.packed);
    central.push(entry, f.name);
    offset += local.length + f.name.length + f.packed.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}
