/** The workbook cell reader's pieces (src/xlsx/cells.ts): formats, dates, XML, numbers, sniffing. */
import { describe, expect, it } from 'vitest';
import { isDateFormat, numberText, parseXml, readWorkbook, serialToDate, sniff } from '../../src/xlsx/cells.js';
import { parseCell } from '../../src/xlsx/refs.js';

describe('isDateFormat', () => {
  it.each([
    ['yyyy"年"m"月"d"日"', true],
    ['[$-804]yyyy/m/d;@', true],
    ['yyyy-mm-dd hh:mm', true],
    ['[h]:mm:ss', true],
    ['m/d/yy', true],
    ['0.00##', false],
    ['0"人次"', false],
    ['#,##0.00', false],
    ['@', false],
    ['General', false],
    ['[Red]0.00;[Blue]-0.00', false],
    ['0.00E+00', false],
  ])('%s → %s', (code, expected) => expect(isDateFormat(code)).toBe(expected));
});

describe('serialToDate', () => {
  it('reads the 1900 system, with its phantom 29 February 1900', () => {
    expect(serialToDate(45606)).toBe('2024-11-10');
    expect(serialToDate(61)).toBe('1900-03-01');
    expect(serialToDate(59)).toBe('1900-02-28');
    expect(serialToDate(1)).toBe('1900-01-01');
  });
  it('keeps a time of day to the minute', () => expect(serialToDate(45606.6875)).toBe('2024-11-10 16:30'));
  it('reads the 1904 system', () => expect(serialToDate(44144, true)).toBe('2024-11-10'));
});

describe('parseXml', () => {
  it('drops namespace prefixes (exporters that write <x:c>) and decodes entities and character references', () => {
    const root = parseXml('<?xml version="1.0"?><x:worksheet xmlns:x="urn"><x:c r="A1" t="s"><x:v>&#29579;&lt;&amp;&gt;</x:v></x:c></x:worksheet>');
    const c = root.children[0]!.children[0]!;
    expect([c.name, c.attrs.r, c.attrs.t]).toEqual(['c', 'A1', 's']);
    expect(c.children[0]!.text).toBe('王<&>');
  });
  it('keeps a > inside an attribute value and CDATA as text', () => {
    const root = parseXml('<a v="1>0" w=\'x\'><![CDATA[<b>]]></a>');
    expect(root.children[0]!.attrs).toEqual({ v: '1>0', w: 'x' });
    expect(root.children[0]!.text).toBe('<b>');
  });
  it('never throws on broken XML', () => expect(() => parseXml('<a><b></a></c><<d')).not.toThrow());
});

describe('numbers and references', () => {
  it('writes a stored number as Excel shows it (15 significant digits)', () => {
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(63.48250000000001)).toBe('63.4825');
    expect(numberText(18955952972)).toBe('18955952972');
  });
  it('parses A1 references', () => expect([parseCell('B5'), parseCell('$AA$10'), parseCell('5B')]).toEqual([{ row: 5, col: 2 }, { row: 10, col: 27 }, undefined]));
});

describe('sniff', () => {
  it('tells a zip, a legacy OLE file, an encrypted package and anything else apart', () => {
    const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    expect(sniff(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe('zip');
    expect(sniff(new Uint8Array([...ole, 0, 0]))).toBe('legacy');
    expect(sniff(new Uint8Array([...ole, ...Buffer.from('EncryptedPackage', 'utf16le')]))).toBe('encrypted');
    expect(sniff(new Uint8Array(Buffer.from('department: x')))).toBe('other');
  });
});

describe('readWorkbook', () => {
  /** A workbook of one sheet with `sheetData` as given, zipped without compression. */
  async function workbookWith(sheetData: string, styles = '<styleSheet><borders count="2"><border/><border><left style="thin"/></border></borders><cellXfs count="2"><xf numFmtId="0" borderId="0"/><xf numFmtId="0" borderId="1"/></cellXfs></styleSheet>') {
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip();
    zip.file('_rels/.rels', '<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
    zip.file('xl/workbook.xml', '<workbook><sheets><sheet name="S" sheetId="1" r:id="r1"/></sheets></workbook>');
    zip.file('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>');
    zip.file('xl/styles.xml', styles);
    zip.file('xl/worksheets/sheet1.xml', `<worksheet><sheetData>${sheetData}</sheetData></worksheet>`);
    return readWorkbook(await zip.generateAsync({ type: 'uint8array' }));
  }
  const values = (sheet: { rows: Map<number, Map<number, { ref: string; value: unknown; bordered?: boolean }>> }) =>
    [...sheet.rows.values()].flatMap((cells) => [...cells.values()].map((c) => [c.ref, c.value, Boolean(c.bordered)]));

  it('places cells written without r after empty cells passed over, and keeps boxed empty ones', async () => {
    const wb = await workbookWith('<row><c s="0"/><c s="0"/><c t="inlineStr"><is><t>C</t></is></c><c s="1"/><c><v>5</v></c></row><row r="3"><c r="B3" s="0"/><c><v>7</v></c></row>');
    expect(values(wb.sheets[0]!)).toEqual([['C1', 'C', false], ['D1', null, true], ['E1', 5, false], ['C3', 7, false]]);
  });

  it('keeps an empty cell boxed by a start border (as LibreOffice and newer Excel write the left line), and not one with a style of none', async () => {
    const styles = '<styleSheet><borders count="3"><border/><border><start style="thin"/><end/></border><border><left style="none"/><start style="none"/><bottom style="none"/><right style="thin"/></border></borders>'
      + '<cellXfs count="3"><xf numFmtId="0" borderId="0"/><xf numFmtId="0" borderId="1"/><xf numFmtId="0" borderId="2"/></cellXfs></styleSheet>';
    const wb = await workbookWith('<row r="1"><c r="A1" s="1"/><c r="B1" s="2"/><c r="C1" s="0"/></row>', styles);
    expect(values(wb.sheets[0]!)).toEqual([['A1', null, true]]);
  });

  it('reads a formula\'s cached empty text result (t="str", <v></v> or <v/>) as an empty cell, and only a number formula with no cached value as uncalculated', async () => {
    const wb = await workbookWith('<row r="1"><c r="A1" t="str"><f>IF(D1="","",D1)</f><v></v></c><c r="B1" t="str"><f>IF(D1="","",D1)</f><v/></c><c r="C1"><f>D1*2</f><v></v></c><c r="E1" t="str"><f>"x"</f><v>x</v></c></row>');
    const cells = [...wb.sheets[0]!.rows.get(1)!.values()].map((c) => ({ ref: c.ref, value: c.value, uncalculated: Boolean(c.uncalculated) }));
    expect(cells).toEqual([{ ref: 'C1', value: null, uncalculated: true }, { ref: 'E1', value: 'x', uncalculated: false }]);
  });

  it('reads cells with a namespace prefix', async () => {
    const wb = await workbookWith('<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row>');
    expect(values(wb.sheets[0]!)).toEqual([['B2', '前缀', false]]);
  });
});
