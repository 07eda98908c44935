/**
 * Post-processing of the xlsx package exceljs writes (uncompressed), for three reasons:
 *
 * 1. Reproducibility: exceljs stamps every zip entry with the wall-clock time (JSZip's
 *    default), so two runs differ. Every entry is rewritten with one fixed date.
 * 2. Fidelity: exceljs 4.4.0 loses or mangles parts of a template on a round trip —
 *    data validations and conditional formats kept in the sheet's extLst (exceljs issues
 *    1184, 1024), overlapping rewrites of plain validations, `$` dropped from print-area
 *    rows (issue 664), printer settings. Those parts are copied back verbatim from the
 *    template's own XML (moved down when rows were inserted).
 * 3. Size: the generated sheets' bodies are put in here as XML (body.ts), and the package
 *    is compressed once, by node's zlib. The bytes are the same for the same inputs with
 *    the same Node (zlib) version; another zlib build may compress differently.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import JSZip from 'jszip';

const deflate = promisify(zlib.deflateRaw);

/** Rows inserted into one sheet of the template. */
export interface Inserted {
  sheet: string;
  at: number;
  count: number;
}

/** Sheet elements copied from the template, in the order CT_Worksheet requires. */
const GRAFTED = [
  'conditionalFormatting', 'dataValidations', 'printOptions', 'pageMargins', 'pageSetup',
  'headerFooter', 'rowBreaks', 'colBreaks', 'extLst',
] as const;

/** The children of <worksheet> that may follow each grafted element (schema order). */
const LATER = [
  'conditionalFormatting', 'dataValidations', 'hyperlinks', 'printOptions', 'pageMargins', 'pageSetup',
  'headerFooter', 'rowBreaks', 'colBreaks', 'customProperties', 'cellWatches', 'ignoredErrors', 'smartTags',
  'drawing', 'legacyDrawing', 'legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls',
  'webPublishItems', 'tableParts', 'extLst',
];

/** extLst entries safe to carry over: x14 data validations, conditional formats, sparklines. */
const SAFE_EXT = [
  '{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}',
  '{78C0D931-6437-407d-A8EE-F0AAD7539E65}',
  '{05C60535-1F16-4fd2-B633-F4F36F0B64E0}',
];

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');

const attrs = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1], unescapeXml(m[2] ?? '')]));

/** Sheet name → path of its part, in workbook order. */
async function sheetParts(zip: JSZip): Promise<{ name: string; path: string }[]> {
  const book = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
  const rels = (await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const a = attrs(m[0]);
    if (a.Id && a.Target) targets.set(a.Id, a.Target.startsWith('/') ? a.Target.slice(1) : `xl/${a.Target}`);
  }
  return [...book.matchAll(/<sheet\b[^>]*>/g)].flatMap((m) => {
    const a = attrs(m[0]);
    const path = targets.get(a['r:id'] ?? '');
    return a.name && path ? [{ name: a.name, path }] : [];
  });
}

/** Every top-level element `tag` of a sheet, as text. */
function elements(xml: string, tag: string): string[] {
  return xml.match(new RegExp(`<${tag}(?=[\\s/>])(?:[^>]*/>|[\\s\\S]*?</${tag}>)`, 'g')) ?? [];
}

/** Moves row numbers at or below `at` down by `count` in A1 references. */
export function shiftRows(text: string, at: number, count: number): string {
  const row = (n: string) => (Number(n) >= at ? String(Number(n) + count) : n);
  return text
    .replace(/(^|[^A-Za-z0-9_.$])(\$?[A-Z]{1,3}\$?)(\d+)(?![A-Za-z0-9_(])/g, (_m, pre: string, col: string, n: string) => `${pre}${col}${row(n)}`)
    .replace(/(!|^|[\s,(])(\$?)(\d+):(\$?)(\d+)(?![\d(])/g, (_m, pre: string, d1: string, a: string, d2: string, b: string) => `${pre}${d1}${row(a)}:${d2}${row(b)}`);
}

/** A sheet-qualified reference: 统计表!$A$1:$J$16, '说明 (2)'!A2, 统计表!$4:$5. */
const QUALIFIED = /(^|[\s,():=<>+\-*/&^{;])('(?:[^']|'')+'|[^\s!,():=<>+\-*/&^'"{};]+)!(\$?[A-Z]{0,3}\$?\d*(?::\$?[A-Z]{0,3}\$?\d*)?)/g;

/**
 * Shifts the references to `sheet` in a formula or defined name; bare references count as
 * the sheet's own when `own` is true. String literals are left alone.
 */
export function shiftFormula(text: string, sheet: string, own: boolean, at: number, count: number): string {
  return text
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => {
      if (i % 2 === 1) return part; // a string literal
      const kept: string[] = [];
      const masked = part.replace(QUALIFIED, (_m, pre: string, name: string, ref: string) => {
        const unquoted = name.startsWith("'") ? name.slice(1, -1).replace(/''/g, "'") : name;
        kept.push(`${name}!${unquoted === sheet ? shiftRows(ref, at, count) : ref}`);
        return `${pre}\u0000${kept.length - 1}\u0001`;
      });
      const shifted = own ? shiftRows(masked, at, count) : masked;
      return shifted.replace(/\u0000(\d+)\u0001/g, (_m, n: string) => kept[Number(n)] ?? '');
    })
    .join('');
}

/** Shifts references inside a grafted sheet element: sqref/ref attributes, formulas, page breaks. */
function shiftElement(xml: string, sheet: string, at: number, count: number): string {
  return xml
    .replace(/\b(sqref|ref)="([^"]*)"/g, (_m, k: string, v: string) => `${k}="${shiftRows(v, at, count)}"`)
    .replace(/<(xm:sqref)>([^<]*)<\/xm:sqref>/g, (_m, k: string, v: string) => `<${k}>${shiftRows(v, at, count)}</${k}>`)
    .replace(
      /<((?:\w+:)?(?:formula\d?|f))>([^<]*)<\/\1>/g,
      (_m, k: string, v: string) => `<${k}>${escapeText(shiftFormula(unescapeXml(v), sheet, true, at, count))}</${k}>`,
    )
    .replace(/<brk\b([^>]*)\bid="(\d+)"/g, (m, pre: string, id: string) =>
      xml.includes('<rowBreaks') ? `<brk${pre}id="${Number(id) >= at ? Number(id) + count : id}"` : m,
    );
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Replaces the grafted elements of `out` with the template's, keeping schema order. */
function graftSheet(out: string, template: string, shift?: (xml: string) => string): string {
  let xml = out;
  const taken = new Map<string, string[]>();
  for (const tag of GRAFTED) {
    let parts = elements(template, tag);
    if (tag === 'extLst') parts = parts.map(safeExtensions).filter((p) => p !== '');
    if (tag === 'pageSetup') parts = parts.map((p) => p.replace(/\s+r:id="[^"]*"/, '')); // printer settings are not kept
    taken.set(tag, shift ? parts.map(shift) : parts);
    // Remove exceljs's own version. conditionalFormatting first, so a cfRule's inner
    // extLst is gone before the sheet's extLst is looked for.
    for (const e of elements(xml, tag)) xml = xml.replace(e, '');
  }
  for (const tag of GRAFTED) {
    const parts = taken.get(tag) ?? [];
    if (parts.length === 0) continue;
    const later = LATER.slice(LATER.indexOf(tag) + 1)
      .map((t) => xml.search(new RegExp(`<${t}(?=[\\s/>])`)))
      .filter((i) => i >= 0);
    const at = later.length ? Math.min(...later) : xml.lastIndexOf('</worksheet>');
    xml = xml.slice(0, at) + parts.join('') + xml.slice(at);
  }
  return withNamespaces(xml, template);
}

/** Keeps only the extLst entries known to be self-contained (no relationships to lost parts). */
function safeExtensions(extLst: string): string {
  const exts = (extLst.match(/<ext\b[\s\S]*?<\/ext>/g) ?? []).filter((e) => SAFE_EXT.some((u) => e.includes(`uri="${u}"`)));
  return exts.length ? `<extLst>${exts.join('')}</extLst>` : '';
}

/** Declares on the output's root element the namespaces the template's root declared. */
function withNamespaces(xml: string, template: string): string {
  const root = /<worksheet\b[^>]*>/.exec(xml)?.[0];
  const tRoot = /<worksheet\b[^>]*>/.exec(template)?.[0];
  if (!root || !tRoot) return xml;
  let next = root;
  for (const m of tRoot.matchAll(/\sxmlns:(\w+)="([^"]*)"/g)) {
    if (!next.includes(`xmlns:${m[1]}=`)) next = next.replace(/\s*>$/, ` xmlns:${m[1]}="${m[2]}">`);
  }
  const ignorable = (tag: string) => /mc:Ignorable="([^"]*)"/.exec(tag)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
  const wanted = [...new Set([...ignorable(next), ...ignorable(tRoot)])];
  if (wanted.length) {
    next = next.includes('mc:Ignorable=')
      ? next.replace(/mc:Ignorable="[^"]*"/, `mc:Ignorable="${wanted.join(' ')}"`)
      : next.replace(/\s*>$/, ` mc:Ignorable="${wanted.join(' ')}">`);
    if (!next.includes('xmlns:mc=')) next = next.replace(/\s*>$/, ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">');
  }
  return xml.replace(root, next);
}

/**
 * The template's defined names replace exceljs's for the template's sheets (exceljs drops
 * `$` signs and re-derives print areas); names of sheets the merge added are kept.
 */
function graftDefinedNames(out: string, template: string, templateSheets: number, fix: (name: string) => string): string {
  const names = (xml: string) => xml.match(/<definedName\b[\s\S]*?<\/definedName>/g) ?? [];
  const added = names(out).filter((n) => Number(attrs(/<definedName\b[^>]*>/.exec(n)?.[0] ?? '').localSheetId ?? -1) >= templateSheets);
  const all = [...names(template).map(fix), ...added];
  const block = all.length ? `<definedNames>${all.join('')}</definedNames>` : '';
  const without = out.replace(/<definedNames>[\s\S]*?<\/definedNames>|<definedNames\/>/, '');
  if (!block) return without;
  // definedNames follows sheets (and externalReferences) in CT_Workbook.
  const anchor = /<\/externalReferences>|<\/sheets>/g;
  let pos = -1;
  for (const m of without.matchAll(anchor)) pos = (m.index ?? 0) + m[0].length;
  return pos < 0 ? without : without.slice(0, pos) + block + without.slice(pos);
}

/** The template's <dxfs> (formats of conditional formats) replace exceljs's renumbered ones. */
function graftDxfs(out: string, template: string): string {
  const dxfs = /<dxfs\b[^>]*\/>|<dxfs\b[\s\S]*?<\/dxfs>/;
  const t = dxfs.exec(template)?.[0];
  if (!t) return out;
  if (dxfs.test(out)) return out.replace(dxfs, t);
  // dxfs sits after cellStyles in CT_Stylesheet.
  return out.replace(/(<\/cellStyles>|<cellStyles\b[^>]*\/>)/, `$1${t}`);
}

/** What finishXlsx does besides fixing dates. */
export interface FinishOptions {
  /** The template the workbook was loaded from: the parts exceljs mishandles are restored. */
  template?: { bytes: Uint8Array; inserted?: Inserted };
  /** Sheet name → a rewrite of that sheet's XML (the generated sheets' bodies). */
  sheets?: ReadonlyMap<string, (xml: string) => string>;
}

/**
 * Rewrites an xlsx written by exceljs (best uncompressed: it is read back here): template
 * parts exceljs mishandles are restored, sheets are rewritten as asked, and the package is
 * compressed once, every entry with the same fixed `date`.
 */
export async function finishXlsx(written: Uint8Array, date: Date, options: FinishOptions = {}): Promise<Buffer> {
  const { template, sheets } = options;
  const zip = await JSZip.loadAsync(written);
  const contents = new Map<string, string | Uint8Array>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!entry.dir) contents.set(name, await entry.async('uint8array'));
  }

  if (sheets?.size) {
    for (const { name, path } of await sheetParts(zip)) {
      const rewrite = sheets.get(name);
      const xml = rewrite && (await zip.file(path)?.async('string'));
      if (rewrite && xml !== undefined) contents.set(path, Buffer.from(rewrite(xml), 'utf8')); // bytes now: the long string can go
    }
  }

  if (template) {
    const tZip = await JSZip.loadAsync(template.bytes);
    const tSheets = await sheetParts(tZip);
    const oSheets = new Map((await sheetParts(zip)).map((s) => [s.name, s.path]));
    const ins = template.inserted;
    let grafted = false;
    for (const { name, path } of tSheets) {
      const outPath = oSheets.get(name);
      const tXml = await tZip.file(path)?.async('string');
      const oXml = outPath ? await zip.file(outPath)?.async('string') : undefined;
      if (!outPath || tXml === undefined || oXml === undefined) continue;
      const shift = ins && ins.sheet === name ? (x: string) => shiftElement(x, name, ins.at, ins.count) : undefined;
      contents.set(outPath, graftSheet(oXml, tXml, shift));
      grafted ||= /<conditionalFormatting\b/.test(tXml);
    }
    const tBook = (await tZip.file('xl/workbook.xml')?.async('string')) ?? '';
    const oBook = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
    const fixName = (n: string) =>
      ins
        ? n.replace(/(<definedName\b[^>]*>)([\s\S]*?)(<\/definedName>)/, (_m, open: string, body: string, close: string) =>
            open + escapeText(shiftFormula(unescapeXml(body), ins.sheet, false, ins.at, ins.count)) + close)
        : n;
    contents.set('xl/workbook.xml', graftDefinedNames(oBook, tBook, tSheets.length, fixName));
    if (grafted) {
      const tStyles = await tZip.file('xl/styles.xml')?.async('string');
      const oStyles = await zip.file('xl/styles.xml')?.async('string');
      if (tStyles && oStyles) contents.set('xl/styles.xml', graftDxfs(oStyles, tStyles));
    }
  }

  return zipPackage(contents, date);
}

/** CRC-32 (the zip one) lookup table, for Node before 20.15, which has no zlib.crc32. */
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

export function tableCrc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const crc32: (data: Uint8Array) => number = (zlib as { crc32?: (data: Uint8Array) => number }).crc32 ?? tableCrc32;

/**
 * A zip of `entries`, each deflated by node's zlib (level 6, on libuv's threads, all at
 * once) and stamped with `date` (UTC, as JSZip did). Plain zip: no zip64, no extra fields.
 */
async function zipPackage(entries: ReadonlyMap<string, string | Uint8Array>, date: Date): Promise<Buffer> {
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const files = await Promise.all(
    [...entries].map(async ([name, content]) => {
      const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      return { name: Buffer.from(name, 'utf8'), size: data.length, crc: crc32(data), packed: await deflate(data, { level: 6 }) };
    }),
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
