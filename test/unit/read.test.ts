/** Bytes to text: every way Windows Notepad and WPS save a file, and what is not text at all. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLang } from '../../src/messages/index.js';
import { formatSize } from '../../src/fs.js';
import { decodeText, MAX_SUBMISSION_BYTES, readTextFile } from '../../src/source/read.js';

beforeAll(() => setLang('zh'));

const TEXT = '# 区林业局报送\r\ndepartment: 区林业局\r\nfilled_by: 王静辉\r\nsummary: 开展网售野生动植物巡查，督促下架兰花、石斛信息15条。\r\n';

describe('decodeText', () => {
  it('reads plain UTF-8', () => {
    expect(decodeText(Buffer.from(TEXT, 'utf8'))).toEqual({ text: TEXT, encoding: 'utf-8' });
  });

  it('drops a UTF-8 byte order mark (Notepad "UTF-8 with BOM", WPS)', () => {
    const decoded = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]));
    expect(decoded).toEqual({ text: TEXT, encoding: 'utf-8' });
  });

  it('reads UTF-16LE with a BOM (Notepad "Unicode")', () => {
    expect(decodeText(iconv.encode(TEXT, 'utf16le', { addBOM: true }))).toEqual({ text: TEXT, encoding: 'utf-16le' });
  });

  it('reads UTF-16BE with a BOM (Notepad "Unicode big endian")', () => {
    expect(decodeText(iconv.encode(TEXT, 'utf16be', { addBOM: true }))).toEqual({ text: TEXT, encoding: 'utf-16be' });
  });

  it('reads GBK (Notepad "ANSI" on a Chinese Windows) as Chinese, not mojibake', () => {
    const bytes = iconv.encode(TEXT, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // really not UTF-8
    expect(decodeText(bytes)).toEqual({ text: TEXT, encoding: 'gb18030' });
  });

  it('reads GB18030, including four-byte characters outside GBK', () => {
    const text = `${TEXT}filled_by: 刘䶮\r\nnote: 𠀾字号、㐀\r\n`;
    const bytes = iconv.encode(text, 'gb18030');
    expect(bytes.includes(iconv.encode('𠀾', 'gb18030'))).toBe(true);
    expect(iconv.encode('𠀾', 'gb18030')).toHaveLength(4);
    expect(decodeText(bytes)).toEqual({ text, encoding: 'gb18030' });
  });

  it('reads an empty file as empty text', () => {
    expect(decodeText(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });

  it.each([
    ['a lone 0xFF', [0x61, 0x3a, 0x20, 0xff, 0x0a]],
    ['a GBK lead byte without its trail byte', [0x61, 0x3a, 0x20, 0xc7]],
    ['a GBK lead byte followed by a space', [0x61, 0x3a, 0x20, 0x81, 0x20, 0x0a]],
  ])('refuses invalid bytes (%s) with file/encoding', (_, bytes) => {
    expect(decodeText(Uint8Array.from(bytes))).toMatchObject({ severity: 'error', code: 'file/encoding' });
  });

  it('refuses a zip container (a renamed .xlsx or .docx) with file/binary', () => {
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'latin1'), Buffer.alloc(40), Buffer.from('[Content_Types].xml')]);
    expect(decodeText(zip)).toMatchObject({ severity: 'error', code: 'file/binary' });
  });

  it('refuses other binary files (a PNG) with file/binary', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    expect(decodeText(png)).toMatchObject({ severity: 'error', code: 'file/binary' });
  });
});

describe('readTextFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'report-read-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a GBK file with its hash and modification time', async () => {
    const path = join(dir, 'gbk.yaml');
    const bytes = iconv.encode(TEXT, 'gbk');
    writeFileSync(path, bytes);
    const saved = new Date('2024-11-12T15:59:59.000Z');
    utimesSync(path, saved, saved);
    const read = await readTextFile(path);
    expect(read).toMatchObject({ text: TEXT, encoding: 'gb18030' });
    expect(read.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(read.mtimeMs).toBe(saved.getTime());
    expect(read.failure).toBeUndefined();
  });

  it('refuses a file over the 2 MiB limit without reading it, naming the limit', async () => {
    expect(MAX_SUBMISSION_BYTES).toBe(2 * 1024 * 1024);
    const path = join(dir, 'big.yaml');
    writeFileSync(path, Buffer.alloc(MAX_SUBMISSION_BYTES + 1, 0x23));
    const read = await readTextFile(path);
    expect(read.text).toBeUndefined();
    expect(read.failure).toMatchObject({ severity: 'error', code: 'file/too-large' });
    expect(read.failure!.message).toContain('2 MB');
    // The size shown must not read as equal to the limit it exceeds.
    expect(read.failure!.message).not.toMatch(/（2 MB）/);
  });

  it('accepts a file of exactly the limit', async () => {
    const path = join(dir, 'limit.yaml');
    writeFileSync(path, Buffer.alloc(MAX_SUBMISSION_BYTES, 0x23));
    expect((await readTextFile(path)).failure).toBeUndefined();
  });

  it('turns a missing file into file/unreadable, never a throw', async () => {
    const read = await readTextFile(join(dir, 'nope.yaml'));
    expect(read.failure).toMatchObject({ severity: 'error', code: 'file/unreadable' });
    expect(read.failure!.message).toContain('ENOENT');
  });

  it('refuses a folder as not a regular file', async () => {
    expect((await readTextFile(dir)).failure).toMatchObject({ code: 'file/not-regular', message: '这不是普通文件（而是文件夹），已跳过：报送文件和材料都应是普通文件' });
  });
});

describe('formatSize', () => {
  it.each([
    [512, '512 B'],
    [2048, '2 KB'],
    [1536, '1.5 KB'],
    [2 * 1024 * 1024, '2 MB'],
    [2 * 1024 * 1024 + 1, '2.1 MB'],
    [5.25 * 1024 * 1024, '5.3 MB'],
    [1024 * 1024 - 1, '1 MB'],
    [6 * 1024 ** 3, '6 GB'],
  ])('%d → %s', (n, text) => {
    expect(formatSize(n)).toBe(text);
  });
});
