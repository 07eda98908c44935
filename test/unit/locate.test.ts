/**
 * locateTable on plain grids: the table-reading rules one at a time, without a workbook
 * (the same function reads a template, a department's filled copy or a lower level's table).
 */
import { describe, expect, it } from 'vitest';
import { departmentFinder } from '../../src/campaign/lookup.js';
import { likeness, locateTable, type Grid, type GridCell } from '../../src/table/locate.js';
import { labelKey, unitKey } from '../../src/text/labels.js';
import { loadTestCampaign } from '../helpers/submission.js';

const campaign = await loadTestCampaign();
const LABELS = campaign.indicators.map((i) => `${i.label}（${i.unit}）`);

/** A grid from rows of texts (numbers as numbers); every written cell is boxed unless told. */
function grid(rows: (string | number | null)[][], options: { unboxed?: number[]; merges?: [number, number, number, number][] } = {}): Grid {
  const cells = new Map<string, GridCell>();
  rows.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === null) return;
      const cell: GridCell = { text: String(v), boxed: !options.unboxed?.includes(r + 1) };
      if (typeof v === 'number') cell.number = v;
      cells.set(`${r + 1}:${c + 1}`, cell);
    }),
  );
  for (const [top, left, bottom, right] of options.merges ?? []) {
    const master = cells.get(`${top}:${left}`) ?? { text: '' };
    master.mergeEnd = { row: bottom, col: right };
    cells.set(`${top}:${left}`, master);
    for (let r = top; r <= bottom; r++)
      for (let c = left; c <= right; c++) if (r !== top || c !== left) cells.set(`${r}:${c}`, { text: '', master: { row: top, col: left } });
  }
  return { rowCount: rows.length, colCount: Math.max(...rows.map((r) => r.length)), cell: (r, c) => cells.get(`${r}:${c}`) };
}

const header = ['序号', '部门名称', ...LABELS, '备注'];
const letter = (col: number): string => (col > 26 ? letter(Math.floor((col - 1) / 26)) : '') + String.fromCharCode(65 + ((col - 1) % 26));
const empty = (name: string | null, seq: number | null = null) => [seq, name, ...LABELS.map(() => null), null];

describe('locateTable', () => {
  it('reads a 合计 under the header, names written otherwise, a unit outside the campaign and a second row of one unit', () => {
    const g = grid([
      ['2024网络市场监管专项行动情况统计表'],
      header,
      [null, '合　计', ...LABELS.map(() => 0), null],
      empty('黄山区市场监督管理局', 1),
      empty('区市监局', 2),
      empty('区住建局', 3),
      empty('文旅体局', 4),
      ['填表人：', null],
    ], { unboxed: [1, 8] });
    const t = locateTable(g, campaign)!;
    expect(t).toMatchObject({ headerRows: [2, 2], nameCol: 2, seqCol: 1, noteCol: 20, totalRow: 3, block: [4, 7], insertAt: 8, styleRow: 7 });
    expect(t.departmentRows).toEqual({ market: 4, culture_tourism: 7 });
    expect(t.otherRows).toEqual([
      { row: 5, name: '区市监局', reason: 'duplicate', department: 'market' },
      { row: 6, name: '区住建局', reason: 'unknown' },
    ]);
    expect(t.unmatched).toEqual([]);
  });

  it('takes a units row into the header and finds 总计 at the bottom of an empty table', () => {
    const g = grid([
      ['单位', ...campaign.indicators.map((i) => i.label)],
      [null, ...campaign.indicators.map((i) => `（${i.unit}）`)],
      ['总计'],
    ]);
    const t = locateTable(g, campaign)!;
    expect(t).toMatchObject({ headerRows: [1, 2], totalRow: 3, insertAt: 3, departmentRows: {} });
    expect(t.block).toBeUndefined();
  });

  it('reports each indicator without a column, with the unused header most like it', () => {
    const labels = [...LABELS];
    labels[campaign.indicators.findIndex((i) => i.id === 'samples_tested')] = '抽样检测（批次）';
    const t = locateTable(grid([['单位', ...labels], ['区林业局']]), campaign)!;
    expect(t.unmatched).toEqual([{ id: 'samples_tested', label: '抽检', unit: '批次', closest: '抽样检测（批次）' }]);
    expect(t.unusedHeaders.map((h) => h.text)).toEqual(['抽样检测（批次）']);
  });

  it('takes money in 元 for a column in 万元, to be converted ×10000; the column in 万元 when there are both', () => {
    const labels = LABELS.map((l) => (l.startsWith('罚没款') ? '罚没款（元）' : l));
    const t = locateTable(grid([['单位', ...labels]]), campaign)!;
    expect(t.unmatched).toEqual([]);
    expect(t.units).toEqual([{ id: 'fines', label: '罚没款', unit: '万元', found: '元', cell: `${letter(labels.indexOf('罚没款（元）') + 2)}1`, factor: 10000 }]);
    const both = locateTable(grid([['单位', ...labels, '罚没款（万元）']]), campaign)!;
    expect(both.columns.fines).toBe(labels.length + 2);
    expect(both.units).toEqual([]);
  });

  it('reads the unit where a person does: a units row, a caption, a note under the table', () => {
    const bare = campaign.indicators.map((i) => i.label);
    const fines = bare.indexOf('罚没款') + 2;
    const unitRow = locateTable(grid([['单位', ...bare], ['计量单位', ...campaign.indicators.map((i) => (i.id === 'fines' ? '元' : i.unit))], ['区林业局']]), campaign)!;
    expect(unitRow).toMatchObject({ headerRows: [1, 2], block: [3, 3] });
    expect(unitRow.units).toMatchObject([{ id: 'fines', found: '元', cell: `${letter(fines)}2`, factor: 10000 }]);
    for (const caption of ['（单位：件、元）', '金额单位：元', '单位：元']) {
      const t = locateTable(grid([[null, null, caption], ['单位', ...bare], ['区林业局']], { unboxed: [1] }), campaign)!;
      expect(t.units, caption).toMatchObject([{ id: 'fines', found: '元', cell: 'C1', factor: 10000 }]);
    }
    const note = locateTable(grid([['单位', ...bare], ['区林业局'], ['注：金额单位为千元']], { unboxed: [3] }), campaign)!;
    expect(note.units).toMatchObject([{ id: 'fines', found: '千元', cell: 'A3', factor: 10 }]);
    // 填报单位：… is a label of the form, not a caption; 单位：万元 is the campaign's unit.
    for (const line of ['填报单位：黄山区市场监督管理局', '单位：万元', '（单位：件、万元）']) {
      expect(locateTable(grid([[line], ['单位', ...bare], ['区林业局']], { unboxed: [1] }), campaign)!.units, line).toEqual([]);
    }
  });

  it('refuses a unit it cannot convert: an unknown one, or one that needs more decimals (亿元)', () => {
    const withUnit = (unit: string) => LABELS.map((l) => (l.startsWith('罚没款') ? `罚没款（${unit}）` : l));
    expect(locateTable(grid([['单位', ...withUnit('美元')]]), campaign)!.units).toMatchObject([{ id: 'fines', found: '美元', reason: 'unknown' }]);
    expect(locateTable(grid([['单位', ...withUnit('亿元')]]), campaign)!.units).toMatchObject([{ id: 'fines', found: '亿元', reason: 'inexact' }]);
    expect(locateTable(grid([['单位', ...withUnit('元')]]), campaign)!.units[0]?.reason).toBeUndefined();
    expect(locateTable(grid([['单位', ...withUnit('单位：元')]]), campaign)!.units).toMatchObject([{ id: 'fines', found: '元', factor: 10000 }]);
    expect(locateTable(grid([['单位', ...withUnit('单位：万元')]]), campaign)!.units).toEqual([]);
    const counted = LABELS.map((l) => (l.startsWith('立案') ? '立案（万元）' : l));
    expect(locateTable(grid([['单位', ...counted]]), campaign)!.units).toMatchObject([{ id: 'cases_filed', found: '万元', reason: 'unknown' }]);
  });

  it('takes 填报单位（盖章） with a blank after it for the form\'s label, not the name column', () => {
    const g = grid([
      ['填报单位（盖章）', null, null, '填报日期'],
      ['序号', '单位', ...LABELS],
      [1, '区林业局'],
    ], { unboxed: [1] });
    const t = locateTable(g, campaign)!;
    expect(t).toMatchObject({ nameCol: 2, seqCol: 1, headerRows: [2, 2], departmentRows: { forestry: 3 } });
    expect(t.issuerCell).toMatchObject({ row: 1, col: 1, blank: { row: 1, col: 2 } });
    expect(t.fillDateCell).toMatchObject({ row: 1, col: 4, blank: { row: 1, col: 5 } });
  });

  it('takes 汇总 (the totals row label of an Excel table in Chinese) for the 合计 row', () => {
    const t = locateTable(grid([['序号', '单位', ...LABELS], [1, '区林业局'], [null, '汇总', ...LABELS.map(() => 0)]]), campaign)!;
    expect(t).toMatchObject({ block: [2, 2], totalRow: 3, insertAt: 3 });
    expect(t.otherRows).toEqual([]);
  });

  it('puts new units above a closing 其他 row', () => {
    const t = locateTable(grid([['序号', '单位', ...LABELS], [1, '区林业局'], [2, '其他'], [null, '合计']]), campaign)!;
    expect(t).toMatchObject({ block: [2, 3], othersRow: 3, insertAt: 3, totalRow: 4 });
  });

  it('knows the usual synonyms and labels broken by slashes or lines', () => {
    const words: Record<string, string> = { cases_filed: '查办案件', cases_closed: '办结案件', samples_tested: '监督抽检', samples_failed: '抽检不合格', fines: '罚没金额（万元）', platforms_checked: '检查网站/平台/\n网店' };
    const labels = campaign.indicators.map((i, n) => words[i.id] ?? LABELS[n]);
    const t = locateTable(grid([['单位', ...labels]]), campaign)!;
    expect(t.unmatched).toEqual([]);
    for (const id of Object.keys(words)) expect(t.columns[id], id).toBe(labels.indexOf(words[id]!) + 2);
  });

  it('ends the table at a footnote merged across the sheet', () => {
    const g = grid([['单位', ...LABELS], ['区林业局'], ['注：无数据不填 0'], ['区商务局']], { merges: [[3, 1, 3, 18]] });
    expect(locateTable(g, campaign)).toMatchObject({ block: [2, 2], departmentRows: { forestry: 2 } });
  });

  it('finds nothing in a sheet without a name header', () => {
    expect(locateTable(grid([['项目', ...LABELS]]), campaign)).toBeUndefined();
  });
});

describe('names and labels as clerks write them', () => {
  it('normalises unit names: place prefix, usual abbreviations', () => {
    const find = (name: string) => departmentFinder(campaign)(name)?.id;
    expect(['区市场监管局', '黄山区市场监督管理局', '区市监局', '市场监管局', '黄山市黄山区市场监督管理局'].map(find)).toEqual(Array(5).fill('market'));
    expect(['区文化和旅游体育局', '文旅体局', '黄山区文化旅游体育局'].map(find)).toEqual(Array(3).fill('culture_tourism'));
    expect(['公安分局', '黄山区公安局'].map(find)).toEqual(['police', 'police']);
    expect(find('区住建局')).toBeUndefined();
    expect(unitKey('区委网信办')).toBe(unitKey('黄山区委网络安全和信息化委员会办公室'));
  });

  it('finds a department by its full official name as written, never the city\'s bureau by its key', () => {
    const find = (name: string) => departmentFinder(campaign)(name)?.id;
    expect(find('黄山市公安局黄山分局')).toBe('police');
    expect(find('国家税务总局黄山市黄山区税务局')).toBe('tax');
    expect(find('黄山市公安局')).toBeUndefined();
    expect(find('黄山市市场监督管理局')).toBeUndefined();
  });

  it('normalises label decorations: 其中：, a trailing 数, 顿号, case, units', () => {
    expect(labelKey('其中：结案')).toBe(labelKey('结案'));
    expect(labelKey('出动执法人员数（人次）')).toBe(labelKey('出动执法人员'));
    expect(labelKey('检查网站、平台、网店')).toBe(labelKey('检查网站平台网店'));
    expect(labelKey('处置违法违规App')).toBe(labelKey('处置违法违规APP'));
    expect(labelKey('结案率')).not.toBe(labelKey('结案'));
    expect(likeness('抽样检测', '抽检')).toBeGreaterThan(0);
  });
});
