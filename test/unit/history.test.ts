/**
 * The pure parts of 同比 (issue 22): the comparison (blank stays blank, totals over the same
 * departments only), the 总结's sentences, the warnings against history and their thresholds,
 * and the chart's 同比 column.
 */
import { describe, expect, it } from 'vitest';
import { drawChart } from '../../src/documents/chart.js';
import { compareRounds } from '../../src/history/compare.js';
import type { Round } from '../../src/history/rounds.js';
import { comparisonSentences } from '../../src/documents/comparison.js';
import { addHistoryWarnings } from '../../src/history/warnings.js';
import type { CheckedFile } from '../../src/model.js';
import { makeStatus, makeSubmission, testCampaign } from '../fixtures/templates/helpers.js';

const campaign = testCampaign();

/** A round from department id → indicator id → figure (null: blank); `silent` rows have no figure at all. */
function round(rows: Record<string, Record<string, number | null>>, indicators = ['inspectors', 'cases_filed', 'fines']): Round {
  return {
    period: '2023年',
    file: '上年.xlsx',
    sheet: '统计表',
    rows: new Map(Object.entries(rows).map(([id, figures], i) => [id, {
      name: id,
      reported: Object.values(figures).some((v) => v !== null),
      figures: new Map(Object.entries(figures).map(([ind, value], j) => [ind, { value, cell: `统计表!${'BCD'[j]}${i + 4}` }])),
    }])),
    indicators: new Set(indicators),
    unmatchedIndicators: [],
    unknownNames: [],
    oddCells: [],
  };
}

const statuses = () => [
  makeStatus(campaign, 'market', 'submitted', makeSubmission('market', { inspectors: 120, cases_filed: 12, fines: 12.35 })),
  makeStatus(campaign, 'cyberspace', 'late', makeSubmission('cyberspace', { inspectors: 30 })),
  makeStatus(campaign, 'culture_tourism', 'missing'),
  makeStatus(campaign, 'commerce', 'submitted', makeSubmission('commerce', { inspectors: 10, cases_filed: 0 })),
];
const last = round({
  market: { inspectors: 100, cases_filed: 12, fines: 10 },
  cyberspace: { inspectors: 25, cases_filed: 3, fines: null },
  culture_tourism: { inspectors: 40, cases_filed: null, fines: null },
  commerce: { inspectors: null, cases_filed: 0, fines: null },
});

describe('the comparison', () => {
  const c = compareRounds(campaign, statuses(), last);
  const of = (id: string) => c.indicators.find((i) => i.indicator.id === id)!;

  it('totals only departments with the figure in both rounds, naming the others with why', () => {
    const inspectors = of('inspectors');
    expect(inspectors.total).toEqual({ now: 150, past: 125, change: 25, percent: 20 });
    expect(inspectors.excluded).toEqual([
      { name: '区文化旅游体育局', gap: 'not-sent' },
      { name: '区商务局', gap: 'past-blank' },
    ]);
  });

  it('never reads a blank as 0: a blank either side gives no change, and says which side', () => {
    const lines = of('inspectors').departments;
    expect(lines.find((l) => l.id === 'commerce')).toMatchObject({ now: 10, gaps: ['past-blank'] });
    expect(lines.find((l) => l.id === 'commerce')!.change).toBeUndefined();
    const cases = of('cases_filed').departments;
    expect(cases.find((l) => l.id === 'cyberspace')).toMatchObject({ past: 3, gaps: ['blank'] });
    // 0 against 0: a change of 0, no percent.
    expect(cases.find((l) => l.id === 'commerce')!.change).toEqual({ now: 0, past: 0, change: 0 });
  });

  it('says 上期表中无此指标 for an indicator last year’s table has no column for', () => {
    const c2 = compareRounds(campaign, statuses(), round({ market: { inspectors: 100 } }, ['inspectors']));
    expect(c2.indicators.find((i) => i.indicator.id === 'fines')!.departments[0]!.gaps).toEqual(['past-no-column']);
  });
});

describe('the 总结 sentences', () => {
  it('state 同比 over the same departments, name those left out, and skip what is not comparable', () => {
    const text = comparisonSentences(compareRounds(campaign, statuses(), last));
    expect(text).toMatch(/^与2023年相比（按两期均有数据的单位计算，不含本期未报送的区文化旅游体育局），/);
    expect(text).toContain('出动执法人员150人次，同比增长20.0%（不含区商务局上期未填）');
    expect(text).toContain('立案12件，与上期持平（不含区委网信办本期未填）');
    expect(text).toContain('罚没款12.35万元，同比增长23.5%');
  });

  it('says so when nothing is comparable', () => {
    const text = comparisonSentences(compareRounds(campaign, statuses(), round({})));
    expect(text).toBe('各项统计数据与2023年均无可比数据（两期都有数字的单位为零），本稿不作同比。');
  });
});

describe('the warnings against history', () => {
  const file = (department: string, figures: Record<string, number>): CheckedFile => ({
    file: `${department}.yaml`,
    department,
    ok: true,
    diagnostics: [],
    brief: { filledBy: '', phone: '', tasks: [], figures: Object.fromEntries(Object.entries(figures).map(([id, value], i) => [id, { value, at: { line: 10 + i, column: 15 } }])) },
  });

  it('respects the floor and the campaign’s ratio', () => {
    const files = [file('market', { inspectors: 12 }), file('cyberspace', { inspectors: 300 })];
    addHistoryWarnings(files, [round({ market: { inspectors: 1 }, cyberspace: { inspectors: 25 } })], campaign);
    expect(files[0]!.diagnostics).toEqual([]); // 1 → 12: under the floor of 20
    expect(files[1]!.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['history/ratio-up', 10, 15]]);
    const again = [file('cyberspace', { inspectors: 300 })];
    addHistoryWarnings(again, [round({ cyberspace: { inspectors: 25 } })], { ...campaign, history: { ratio: 20, floor: 20, z: 3, min_departments: 10 } });
    expect(again[0]!.diagnostics).toEqual([]);
  });

  it('compares with the latest round that has the department’s figure, and says which', () => {
    const files = [file('market', { inspectors: 500 })];
    const older = { ...round({ market: { inspectors: 20 } }), period: '2022年', file: '前年.xlsx' };
    addHistoryWarnings(files, [round({ market: { inspectors: null } }), older], campaign);
    expect(files[0]!.diagnostics[0]!.message).toContain('本单位2022年20人次（前年.xlsx 统计表!B4）');
  });

  it('flags a z-score outlier only with enough departments', () => {
    const many = Array.from({ length: 11 }, (_, i) => file(`d${i}`, { inspectors: i === 10 ? 5000 : 100 + i }));
    addHistoryWarnings(many, [], campaign);
    expect(many[10]!.diagnostics.map((d) => d.code)).toEqual(['history/outlier']);
    expect(many[10]!.diagnostics[0]!.message).toContain('上期无本单位数据');
    const few = many.slice(2).map((f) => ({ ...f, diagnostics: [] }));
    addHistoryWarnings(few, [], campaign);
    expect(few.flatMap((f) => f.diagnostics)).toEqual([]);
  });
});

describe('the chart’s 同比 column', () => {
  it('shows each department’s change where both rounds have the figure, nothing where not', () => {
    const totals = { inspectors: 160, cases_filed: 12, fines: 12.35 };
    const labels = drawChart(campaign, statuses(), totals, compareRounds(campaign, statuses(), last))!.labels.map((l) => l.text);
    expect(labels).toContain('同比');
    expect(labels).toContain('+20.0%'); // 区市场监管局 120 against 100
    expect(labels).not.toContain('+0.0%'); // 区商务局 10 against a blank: no 同比
    expect(drawChart(campaign, statuses(), totals)!.labels.map((l) => l.text)).not.toContain('同比');
  });
});

describe('上年同期 columns of a template', () => {
  it('are found by the indicator they name, never in another unit of money', async () => {
    const { pastColumns } = await import('../../src/template/previous-columns.js');
    const headers = ['出动执法人员（上年同期）', '上年同期罚没款（元）', '立案上年同期数'];
    const layout = { unusedHeaders: headers.map((text, i) => ({ row: 2, col: 10 + i, text })), columns: {} } as unknown as Parameters<typeof pastColumns>[0];
    const grid = { rowCount: 2, colCount: 12, cell: () => undefined };
    expect([...pastColumns(layout, campaign, grid)]).toEqual([['inspectors', 10], ['cases_filed', 12]]);
  });
});
