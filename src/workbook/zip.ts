/**
 * Post-processing of the xlsx package exceljs writes, for two reasons:
 *
 * 1. Reproducibility: exceljs stamps every zip entry with the wall-clock time (JSZip's
 *    default), so two runs differ. Every entry is rewritten with one fixed date.
 * 2. Fidelity: exceljs 4.4.0 loses or mangles parts of a template on a round trip —
 *    data validations and conditional formats kept in the sheet's extLst (exceljs issues
 *    1184, 1024), overlapping rewrites of plain validations, `$` dropped from print-area
 *    rows (issue 664), printer settings. Those parts are copied back verbatim from the
 *    template's own XML (moved down when rows were inserted).
 */
import JSZip from 'jszip';

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

/**
 * Rewrites an xlsx written by exceljs: template parts exceljs mishandles are restored from
 * `template` (when given), and every entry gets the same fixed `date`.
 */
export async function finishXlsx(
  written: Uint8Array,
  date: Date,
  template?: { bytes: Uint8Array; inserted?: Inserted },
): Promise<Buffer> {
  const zip = await JSZip.loadAsync(written);
  const contents = new Map<string, string | Uint8Array>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!entry.dir) contents.set(name, await entry.async('uint8array'));
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

  const out = new JSZip();
  for (const [name, data] of contents) out.file(name, data, { date, createFolders: false });
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
