/**
 * The workbook source (src/source/workbook.ts) in process: committed workbooks with a part or
 * two of their XML changed here, read as submissions of the bundled campaign.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/campaign/schema.js';
import { setLang } from '../../src/messages/index.js';
import { readWorkbookSource } from '../../src/source/workbook.js';
import { readWorkbook } from '../../src/xlsx/cells.js';
import { loadCampaign } from '../../src/source/campaign.js';
import { loadTestCampaign } from '../helpers/submission.js';
import { fixture, REPO } from '../helpers/paths.js';

let campaign: Campaign;
beforeAll(async () => {
  setLang('zh');
  campaign = await loadTestCampaign();
});

/** A workbook's bytes with each named part's XML changed by its edit (which must change it). */
async function edited(bytes: Uint8Array, edits: Record<string, (xml: string) => string>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  for (const [part, edit] of Object.entries(edits)) {
    const xml = await zip.file(part)!.async('string');
    const changed = edit(xml);
    if (changed === xml) throw new Error(`${part}: the edit changed nothing`);
    zip.file(part, changed);
  }
  return zip.generateAsync({ type: 'uint8array' });
}

/** The first cell of the first sheet whose text starts with `start`. */
function cellStarting(bytes: Uint8Array, start: string) {
  for (const cells of readWorkbook(bytes).sheets[0]!.rows.values())
    for (const cell of cells.values()) if (typeof cell.value === 'string' && cell.value.startsWith(start)) return cell;
  throw new Error(`no cell starts with ${start}`);
}

/** A sheet's XML with cell `ref` holding `text` as an inline string. */
const withText = (ref: string, text: string) => (xml: string) =>
  xml.replace(new RegExp(`<c r="${ref}"[^>]*?(/>|>[\\s\\S]*?</c>)`), `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`);

describe('a copy of the statistics table', () => {
  it('reads 填表人 up to a 统计时间 that follows it on the same line', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('workbooks', 'table-ok', '附件2-统计表.xlsx')));
    const footer = cellStarting(bytes, '填表人');
    const copy = await edited(bytes, { 'xl/worksheets/sheet1.xml': withText(footer.ref, '填表人：张伟　统计时间：2024年11月　联系电话：0559-8510026') });
    const { data } = readWorkbookSource(copy, campaign, '附件2-统计表.xlsx');
    expect(data).toMatchObject({ department: '区林业局', filled_by: '张伟', phone: '0559-8510026' });
  });
});

describe('a copy of the statistics table with a hidden sheet before it', () => {
  it('reads the figures of the visible 统计表, never of a hidden copy of the table holding other figures', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('workbooks', 'table-ok', '附件2-统计表.xlsx')));
    const zip = await JSZip.loadAsync(bytes);
    // 区林业局's row is 9 (检查人员 C9 = 12, 检查平台 D9 = 30): the hidden copy has other figures there.
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const other = sheet.replace('<c r="C9" s="6" t="n"><v>12</v>', '<c r="C9" s="6" t="n"><v>999</v>').replace('<c r="D9" s="6" t="n"><v>30</v>', '<c r="D9" s="6" t="n"><v>888</v>');
    expect(other).not.toBe(sheet);
    zip.file('xl/worksheets/sheet2.xml', other);
    const book = await zip.file('xl/workbook.xml')!.async('string');
    zip.file('xl/workbook.xml', book.replace('<sheets>', '<sheets><sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" name="旧表" sheetId="2" state="hidden" r:id="rId9"/>'));
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file('xl/_rels/workbook.xml.rels', rels.replace('</Relationships>', '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml" Id="rId9"/></Relationships>'));
    const copy = await zip.generateAsync({ type: 'uint8array' });
    expect(readWorkbook(copy).sheets.map((s) => [s.name, s.state])).toEqual([['旧表', 'hidden'], ['统计表', 'visible']]);

    const { data, map } = readWorkbookSource(copy, campaign, '附件2-统计表.xlsx');
    expect(data).toMatchObject({ department: '区林业局', statistics: { inspectors: '12', platforms_checked: '30' } });
    expect(map.locate(['statistics', 'inspectors'])).toEqual({ sheet: '统计表', cell: 'C9' });
  });
});

describe('hidden sheets (fixtures of make-hardening.py)', () => {
  const read = (folder: string) => readWorkbookSource(new Uint8Array(readFileSync(fixture('workbooks', folder, '区林业局.xlsx'))), campaign, '区林业局.xlsx');

  it('a copy of the statistics table whose only table is on a hidden sheet: refused, saying where it is, nothing read', () => {
    const { data, diagnostics } = read('h25-table-hidden-sheet');
    expect(data).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'workbook/hidden-table', sheet: '统计表', cell: 'A1' })]);
  });

  it('a fill-in workbook with a very hidden 统计表 (9999) beside the visible one (12): the visible one is read, the hidden one said', () => {
    const { data, diagnostics, map } = read('h25-very-hidden-statistics');
    expect(data).toMatchObject({ statistics: { inspectors: '12' } });
    expect(map.locate(['statistics', 'inspectors'])?.sheet).not.toBe('统计表');
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'workbook/hidden-sheet-ignored', sheet: '统计表', cell: 'A1' })]);
  });
});

describe('a copy of the statistics table with a column in another unit (issue 20)', () => {
  it('leaves a 罚没款 column headed in 元 out (a missing column), never reads its figure as 万元', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('workbooks', 'table-ok', '附件2-统计表.xlsx')));
    const header = cellStarting(bytes, '罚没款');
    const copy = await edited(bytes, { 'xl/worksheets/sheet1.xml': withText(header.ref, '罚没款（元）') });
    const { data, diagnostics } = readWorkbookSource(copy, campaign, '附件2-统计表.xlsx');
    expect((data as { statistics: Record<string, unknown> }).statistics.fines).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toContain('workbook/missing-column');
    const { data: asIssued } = readWorkbookSource(bytes, campaign, '附件2-统计表.xlsx');
    expect((asIssued as { statistics: Record<string, unknown> }).statistics.fines).toBeDefined();
  });
});

describe('a copy of the statistics table with no row filled, attributed by its file name', () => {
  const blank = () => new Uint8Array(readFileSync(join(REPO, 'templates', 'hsq_2024_wlsc.xlsx')));
  const read = (file: string) => readWorkbookSource(blank(), campaign, file);

  it.each([
    ['区林业局.xlsx', '区林业局'],
    ['附件2-区林业局统计表.xlsx', '区林业局'],
    ['黄山区林业局.xlsx', '区林业局'],
    ['区市监局.xlsx', '区市场监管局'],
    ['黄山区市场监督管理局报表.xlsx', '区市场监管局'],
  ])('%s is %s', (file, department) => {
    const { data, diagnostics } = read(file);
    expect(diagnostics.filter((d) => d.code === 'workbook/no-filled-row')).toEqual([]);
    expect(data).toMatchObject({ department });
  });

  it.each(['屯溪区市场监管局.xlsx', '屯溪区林业局统计表.xlsx', '区林业局、区商务局.xlsx', '统计表.xlsx'])('%s names no department of 黄山区 (or two): no filled row', (file) => {
    const { data, diagnostics } = read(file);
    expect(data).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'workbook/no-filled-row' })]);
  });
});

describe('the fill-in workbook', () => {
  it('a serial typed in 填报日期 (no date format) is a day of the workbook\'s date system, 1904 too', async () => {
    // xlsx-dates: 基本信息!B7 (sheet1) holds 45606 in General, 2024-11-10 in the 1900 system; the same day is 44144 in 1904.
    const bytes = new Uint8Array(readFileSync(fixture('workbooks', 'xlsx-dates', '区林业局.xlsx')));
    expect(readWorkbookSource(bytes, campaign, '区林业局.xlsx').data).toMatchObject({ submitted_at: '2024-11-10' });
    const in1904 = await edited(bytes, {
      'xl/workbook.xml': (xml) => xml.replace('<workbookPr/>', '<workbookPr date1904="1"/>'),
      'xl/worksheets/sheet1.xml': (xml) => xml.replace(/(<c r="B7"[^>]*>)<v>45606<\/v>/, '$1<v>44144</v>'),
    });
    expect(readWorkbook(in1904).date1904).toBe(true);
    expect(readWorkbookSource(in1904, campaign, '区林业局.xlsx').data).toMatchObject({ submitted_at: '2024-11-10' });
  });
});

describe('a figure given by a formula whose cached result is empty text (=IF(…,"",…), saved by Excel as t="str" with <v></v>)', () => {
  it('is a figure not reported, with no finding; a number formula never calculated is an error at its cell', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('workbooks', 'xlsx-ok', '区林业局.xlsx')));
    // 统计表 (sheet2) C5 is 检查网站平台网店 (30), B5 出动执法人员 (12).
    const copy = await edited(bytes, {
      'xl/worksheets/sheet2.xml': (xml) =>
        xml.replace('<c r="C5" s="8" t="n"><v>30</v></c>', '<c r="C5" s="8" t="str"><f>IF(A1="","",30)</f><v></v></c>').replace('<c r="B5" s="8" t="n"><v>12</v></c>', '<c r="B5" s="8"><f>6*2</f><v></v></c>'),
    });
    const { data, diagnostics } = readWorkbookSource(copy, campaign, '区林业局.xlsx');
    const statistics = (data as { statistics: Record<string, unknown> }).statistics;
    expect(statistics.platforms_checked ?? null).toBeNull();
    expect(statistics.inspectors ?? null).toBeNull();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'workbook/uncalculated', sheet: '统计表', cell: 'B5' })]);
  });
});

describe('a workbook saved in the 1904 date system (test/fixtures/workbooks/make-1904.py: openpyxl, <workbookPr date1904="1">)', () => {
  it('reads its date cells as the days the clerk typed: 填报日期 2024-11-10 and the case\'s 日期 2024-09-12, as in the same workbook in the 1900 system', () => {
    const read = (folder: string) => readWorkbookSource(new Uint8Array(readFileSync(fixture('workbooks', folder, '区林业局.xlsx'))), campaign, '区林业局.xlsx');
    const in1904 = read('xlsx-1904');
    // Serials 44144 and 44085: read in the 1900 system they would be 2020-11-09 and 2020-09-11.
    expect(in1904.data).toMatchObject({ submitted_at: '2024-11-10', cases: [expect.objectContaining({ date: '2024-09-12' })] });
    expect(in1904.diagnostics).toEqual(read('xlsx-ok').diagnostics);
  });
});

describe('a lower level\'s merged table (data/examples/city-rollup: 黄山区.xlsx)', () => {
  it('gives that unit\'s figures from its 合计 row (row 12), not from a department\'s row above it', async () => {
    const city = (await loadCampaign(join(REPO, 'data', 'examples', 'city-rollup', 'campaign.yaml'))) as Campaign;
    const { data, map } = readWorkbookSource(readFileSync(join(REPO, 'data', 'examples', 'city-rollup', 'submissions', '黄山区.xlsx')), city, '黄山区.xlsx');
    // Row 5 (区市场监管局) has 1286, 2340, 63.4825, 86, 5; row 11 (区税务局, the last) only 1, 1 in 形成经验做法 and 制定制度规定.
    expect((data as { statistics: Record<string, unknown> }).statistics).toEqual({
      inspectors: '2026', platforms_checked: '3075', listings_removed: '3174', accounts_handled: '174', sites_rectified: '38', sites_closed: '4',
      apps_handled: '5', shops_suspended: '9', cases_filed: '65', cases_closed: '55', fines: '68.2825', cases_transferred: '8',
      samples_tested: '86', samples_failed: '5', cases_exposed: '11', practices: '8', regulations: '7',
    });
    expect(map.locate(['statistics', 'inspectors'])).toEqual({ sheet: '统计表', cell: 'C12' });
  });
});

describe('a lower level\'s merged table whose template had sheets of the added sheets\' names', () => {
  it('is read from the sheets merge added (典型案例(汇总), 工作总结(汇总2)), never from the template\'s own 典型案例, 工作总结 or 工作总结(汇总)', async () => {
    const city = (await loadCampaign(join(REPO, 'data', 'examples', 'city-rollup', 'campaign.yaml'))) as Campaign;
    const bytes = readFileSync(join(REPO, 'data', 'examples', 'city-rollup', 'submissions', '黄山区.xlsx'));
    const plain = readWorkbookSource(bytes, city, '黄山区.xlsx');
    const zip = await JSZip.loadAsync(bytes);
    // The template's own sheets, after 统计表: an empty 典型案例, and two 工作总结 forms with a sample row under 单位 | 总结.
    const form = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>单位</t></is></c><c r="B2" t="inlineStr"><is><t>总结</t></is></c></row>'
      + '<row r="3"><c r="A3" t="inlineStr"><is><t>区示例局</t></is></c><c r="B3" t="inlineStr"><is><t>模板中的示例文字。</t></is></c></row></sheetData></worksheet>';
    const own = [['典型案例', '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'], ['工作总结', form], ['工作总结(汇总)', form]];
    let sheets = '';
    let rels = '';
    own.forEach(([name, xml], i) => {
      zip.file(`xl/worksheets/own${i}.xml`, xml!);
      sheets += `<sheet name="${name}" sheetId="${20 + i}" r:id="rIdOwn${i}"/>`;
      rels += `<Relationship Id="rIdOwn${i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/own${i}.xml"/>`;
    });
    const book = await zip.file('xl/workbook.xml')!.async('string');
    const renamed = book.replace('name="典型案例"', 'name="典型案例(汇总)"').replace('name="工作总结"', 'name="工作总结(汇总2)"');
    zip.file('xl/workbook.xml', renamed.replace(/(<sheet [^>]*name="统计表"[^>]*\/>)/, `$1${sheets}`));
    const bookRels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file('xl/_rels/workbook.xml.rels', bookRels.replace('</Relationships>', `${rels}</Relationships>`));
    const both = await zip.generateAsync({ type: 'uint8array' });
    expect(readWorkbook(both).sheets.map((s) => s.name)).toEqual(['统计表', '典型案例', '工作总结', '工作总结(汇总)', '典型案例(汇总)', '重点任务落实', '报送情况', '工作总结(汇总2)']);

    const read = readWorkbookSource(both, city, '黄山区.xlsx');
    expect(read.diagnostics).toEqual(plain.diagnostics);
    const data = read.data as { cases: unknown[]; summary: string };
    expect((plain.data as { cases: unknown[] }).cases.length).toBeGreaterThan(0);
    expect(data.cases).toEqual((plain.data as { cases: unknown[] }).cases);
    expect(data.summary).toBe((plain.data as { summary: string }).summary);
    expect(data.summary).not.toContain('模板中的示例文字');
    expect(read.map.locate(['summary'])?.sheet).toBe('工作总结(汇总2)');
  });
});

describe('a lower level\'s merged table whose added sheets were renamed beside the template\'s own', () => {
  it('is read from 典型案例(汇总), 重点任务落实(汇总2) and 工作总结(汇总) as from the plain names', async () => {
    const city = (await loadCampaign(join(REPO, 'data', 'examples', 'city-rollup', 'campaign.yaml'))) as Campaign;
    const bytes = readFileSync(join(REPO, 'data', 'examples', 'city-rollup', 'submissions', '黄山区.xlsx'));
    const plain = readWorkbookSource(bytes, city, '黄山区.xlsx');
    // The template had sheets of these names: merge named its own (汇总), (汇总2), and the template's stay (here empty).
    const renamed = await edited(bytes, {
      'xl/workbook.xml': (xml) =>
        xml.replace('name="典型案例"', 'name="典型案例(汇总)"').replace('name="重点任务落实"', 'name="重点任务落实(汇总2)"').replace('name="工作总结"', 'name="工作总结(汇总)"'),
    });
    const read = readWorkbookSource(renamed, city, '黄山区.xlsx');
    expect(read.diagnostics).toEqual(plain.diagnostics);
    const data = read.data as { cases: unknown[]; tasks: Record<string, string>; summary: string };
    expect((plain.data as { cases: unknown[] }).cases.length).toBeGreaterThan(0);
    expect(data.cases).toEqual((plain.data as { cases: unknown[] }).cases);
    expect(data.tasks).toEqual((plain.data as { tasks: unknown }).tasks);
    expect(data.summary).toBe((plain.data as { summary: string }).summary);
  });
});

