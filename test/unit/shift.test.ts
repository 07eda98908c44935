/**
 * Rows inserted into a template's statistics sheet (src/xlsx/shift.ts), in process: a small
 * package with a drawing (a seal and a chart's frame), notes and their VML shapes, row page
 * breaks and merges, shifted as merge shifts it, every moved thing compared whole.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { XlsxPackage } from '../../src/xlsx/package.js';
import { shiftPackage } from '../../src/xlsx/shift.js';
import { serializeXml } from '../../src/xlsx/xml.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';

/** One drawing anchor point: 0-based column and row, as DrawingML writes them. */
const point = (tag: 'from' | 'to', col: number, row: number) =>
  `<xdr:${tag}><xdr:col>${col}</xdr:col><xdr:colOff>12700</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>25400</xdr:rowOff></xdr:${tag}>`;
const anchor = (from: [number, number], to: [number, number], name: string) =>
  `<xdr:twoCellAnchor>${point('from', ...from)}${point('to', ...to)}<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="${name}"/></xdr:nvPicPr></xdr:pic><xdr:clientData/></xdr:twoCellAnchor>`;

/** A VML note shape: the note of 0-based row `row`, column `col`, its box from row `top` to row `bottom`. */
const shape = (col: number, row: number, top: number, bottom: number) =>
  `<v:shape type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Anchor>${col + 1}, 15, ${top}, 10, ${col + 3}, 15, ${bottom}, 4</x:Anchor><x:Row>${row}</x:Row><x:Column>${col}</x:Column></x:ClientData></v:shape>`;

/**
 * The sheet: a department block on rows 5–10, 合计 on row 11 (rows are inserted at 11, as merge
 * inserts them before the closing row). Columns are not rows: an anchor at column 7 row 11.
 */
async function template(): Promise<XlsxPackage> {
  const zip = new JSZip();
  zip.file('xl/workbook.xml', `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets><sheet name="统计表" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId2"/></sheets>`
    + '<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">\'统计表\'!$A$1:$T$12</definedName><definedName name="表头">说明!$A$1</definedName></definedNames></workbook>');
  zip.file('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`);
  zip.file('xl/worksheets/sheet2.xml', '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="11"><c r="A11"><f>\'统计表\'!C11+SUM(统计表!C5:C10)+A1</f><v>12</v></c></row></sheetData></worksheet>');
  zip.file(
    'xl/worksheets/sheet1.xml',
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheetData>`
      + '<row r="5"><c r="A5"><v>1</v></c></row><row r="10"><c r="A10"><v>6</v></c></row><row r="11"><c r="A11" t="inlineStr"><is><t>合计</t></is></c><c r="C11"><f>SUM(C5:C10)</f><v>6</v></c></row>'
      + '</sheetData><dataValidations count="1"><dataValidation type="whole" sqref="C5:C10 C12"><formula1>0</formula1></dataValidation></dataValidations>'
      + '<hyperlinks><hyperlink ref="A11" location="\'统计表\'!C11"/></hyperlinks><mergeCells count="4"><mergeCell ref="A1:H1"/><mergeCell ref="I8:I10"/><mergeCell ref="J10:K10"/><mergeCell ref="A11:B11"/></mergeCells>'
      + '<rowBreaks count="3" manualBreakCount="3"><brk id="9" max="16383" man="1"/><brk id="10" max="16383" man="1"/><brk id="11" max="16383" man="1"/></rowBreaks>'
      + '<drawing r:id="rId1"/><legacyDrawing r:id="rId2"/></worksheet>',
  );
  zip.file('xl/worksheets/_rels/sheet1.xml.rels',
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/drawing" Target="../drawings/drawing1.xml"/><Relationship Id="rId2" Type="${REL}/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/></Relationships>`);
  zip.file('xl/charts/chart1.xml', '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:ser><c:cat><c:f>\'统计表\'!$B$5:$B$10</c:f></c:cat><c:val><c:f>\'统计表\'!$C$5:$C$10</c:f></c:val><c:tx><c:f>\'统计表\'!$C$11</c:f></c:tx></c:ser></c:chartSpace>');
  zip.file('xl/drawings/drawing1.xml', `<xdr:wsDr xmlns:xdr="${XDR}">${anchor([1, 2], [4, 3], '标题图')}${anchor([2, 8], [5, 9], '表内图')}${anchor([7, 10], [9, 13], '公章')}${anchor([3, 14], [6, 20], '图表')}</xdr:wsDr>`);
  zip.file('xl/drawings/vmlDrawing1.vml', `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel">${shape(6, 9, 8, 12)}${shape(5, 10, 10, 13)}${shape(8, 12, 11, 15)}</xml>`);
  return XlsxPackage.load(await zip.generateAsync({ type: 'uint8array' }));
}

/** Rows 11 on move down by 3; ranges over the block (5–10) grow with it. */
const INSERT = { at: 11, count: 3, extendFrom: 5 };

async function shifted(): Promise<XlsxPackage> {
  const pkg = await template();
  shiftPackage(pkg, 'xl/workbook.xml', '统计表', 'xl/worksheets/sheet1.xml', [{ part: 'xl/worksheets/sheet2.xml' }], INSERT);
  return pkg;
}
const xml = (pkg: XlsxPackage, part: string) => serializeXml(pkg.doc(part)!);

describe('rows inserted into the statistics sheet', () => {
  it('moves drawing anchors (the 公章, a chart) by the inserted rows: rows at or below the insertion move, columns never', async () => {
    const drawing = xml(await shifted(), 'xl/drawings/drawing1.xml');
    // 0-based rows: 10 is sheet row 11, the insertion; 9 is row 10, above it.
    expect(drawing).toBe(`<xdr:wsDr xmlns:xdr="${XDR}">${anchor([1, 2], [4, 3], '标题图')}${anchor([2, 8], [5, 9], '表内图')}${anchor([7, 13], [9, 16], '公章')}${anchor([3, 17], [6, 23], '图表')}</xdr:wsDr>`);
  });

  it('moves row page breaks exactly: a break after row 10 (before 合计) moves with 合计, one after row 9 stays', async () => {
    const sheet = xml(await shifted(), 'xl/worksheets/sheet1.xml');
    const breaks = /<rowBreaks[\s\S]*<\/rowBreaks>/.exec(sheet)?.[0];
    expect(breaks).toBe('<rowBreaks count="3" manualBreakCount="3"><brk id="9" max="16383" man="1"/><brk id="13" max="16383" man="1"/><brk id="14" max="16383" man="1"/></rowBreaks>');
  });

  it('moves merged cells, never grows one that ends on the block\'s last row over the inserted rows', async () => {
    const sheet = xml(await shifted(), 'xl/worksheets/sheet1.xml');
    const merges = [...sheet.matchAll(/<mergeCell ref="([^"]+)"\/>/g)].map((m) => m[1]);
    expect(merges).toEqual(['A1:H1', 'I8:I10', 'J10:K10', 'A14:B14']);
  });

  it('moves notes\' shapes whole: x:Row and each row of x:Anchor by itself (a box may start above the insertion), columns and offsets as they were', async () => {
    const vml = xml(await shifted(), 'xl/drawings/vmlDrawing1.vml');
    expect(vml).toBe(`<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel">${shape(6, 9, 8, 15)}${shape(5, 13, 13, 16)}${shape(8, 15, 14, 18)}</xml>`);
  });

  it('moves the rows and cells at and below the insertion', async () => {
    const sheet = xml(await shifted(), 'xl/worksheets/sheet1.xml');
    expect(/<sheetData>[\s\S]*<\/sheetData>/.exec(sheet)?.[0]).toBe(
      '<sheetData><row r="5"><c r="A5"><v>1</v></c></row><row r="10"><c r="A10"><v>6</v></c></row><row r="14"><c r="A14" t="inlineStr"><is><t>合计</t></is></c><c r="C14"><f>SUM(C5:C13)</f><v>6</v></c></row></sheetData>',
    );
  });

  it('grows what covered the block down to its last row (a SUM, a validation) over the new rows, and moves what lay below', async () => {
    const sheet = xml(await shifted(), 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain('<f>SUM(C5:C13)</f>');
    expect(sheet).toContain('<dataValidation type="whole" sqref="C5:C13 C15"><formula1>0</formula1></dataValidation>');
    expect(sheet).toContain('<hyperlink ref="A14" location="\'统计表\'!C14"/>');
  });

  it('moves other sheets\' references to the table, defined names (the print area) and a chart\'s ranges', async () => {
    const pkg = await shifted();
    expect(xml(pkg, 'xl/worksheets/sheet2.xml')).toContain('<c r="A11"><f>\'统计表\'!C14+SUM(统计表!C5:C13)+A1</f>');
    const book = xml(pkg, 'xl/workbook.xml');
    expect(book).toContain('<definedName name="_xlnm.Print_Area" localSheetId="0">\'统计表\'!$A$1:$T$15</definedName>');
    expect(book).toContain('<definedName name="表头">说明!$A$1</definedName>');
    expect(xml(pkg, 'xl/charts/chart1.xml')).toBe(
      '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:ser><c:cat><c:f>\'统计表\'!$B$5:$B$13</c:f></c:cat><c:val><c:f>\'统计表\'!$C$5:$C$13</c:f></c:val><c:tx><c:f>\'统计表\'!$C$14</c:f></c:tx></c:ser></c:chartSpace>',
    );
  });
});
