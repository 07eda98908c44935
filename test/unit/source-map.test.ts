/**
 * The schema knows no format: a source gives plain data and a map of where each value was
 * typed, and findings come back at the source's own places. Here a stand-in for a workbook,
 * whose map answers with sheets and cells, gets the same codes and messages as YAML.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/campaign/schema.js';
import type { Position } from '../../src/diagnostics.js';
import { setLang } from '../../src/messages/index.js';
import { pathKey, type Path, type SourceMap } from '../../src/source/source.js';
import { checkSource, checkText } from '../../src/submission/check.js';
import { BASE, edit, loadTestCampaign } from '../helpers/submission.js';

let campaign: Campaign;
beforeAll(async () => {
  setLang('zh');
  campaign = await loadTestCampaign();
});

/** A map from paths to cells, as a workbook source would give. */
function cells(places: Record<string, Position>): SourceMap {
  const byKey = new Map(Object.entries(places).map(([path, at]) => [pathKey(path.split('.').map((p) => (/^\d+$/.test(p) && path.startsWith('cases') ? Number(p) : p))), at]));
  return {
    locate: (path: Path) => byKey.get(pathKey(path)),
    locateIn: (path: Path) => byKey.get(pathKey(path)),
    start: { sheet: '基本信息', cell: 'A1' },
  };
}

const workbook = {
  department: '区林业局',
  filled_by: '王静辉',
  phone: 5598510026, // a number cell
  submitted_at: '2024-11-10',
  statistics: { inspectors: '12人次', platforms_checked: 30, fines: 1.5, samples_tested: 4, samples_failed: 9 },
  tasks: { '32': '巡查网售野生动植物。' },
  cases: [{ title: '某网店销售野生兰花案', task: 99, date: '2024-09-01', summary: '经查……', exposed: '是' }],
  summary: '区林业局按照方案要求开展巡查。',
};
const map = cells({
  department: { sheet: '基本信息', cell: 'B2' },
  phone: { sheet: '基本信息', cell: 'B5' },
  'statistics.inspectors': { sheet: '统计表', cell: 'C4' },
  'statistics.samples_failed': { sheet: '统计表', cell: 'P4' },
  'cases.0': { sheet: '典型案例', cell: 'A3' },
  'cases.0.task': { sheet: '典型案例', cell: 'B3' },
});

describe('a source that is not YAML', () => {
  it('gets the same codes and messages, at its sheets and cells', () => {
    const result = checkSource({ data: workbook, map, diagnostics: [] }, campaign);
    const brief = result.diagnostics.map((d) => [d.code, d.sheet, d.cell]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['value/unit-in-number', '统计表', 'C4'],
        ['rule/case-task', '典型案例', 'B3'],
        ['rule/failed', '统计表', 'P4'],
      ]),
    );
    const yaml = checkText(edit('  inspectors: 12', '  inspectors: 12人次'), campaign).diagnostics[0]!;
    expect(result.diagnostics.find((d) => d.code === 'value/unit-in-number')!.message).toBe(yaml.message);
    expect(result.diagnostics.every((d) => d.line === undefined)).toBe(true);
  });

  it('places a missing key at the source’s start', () => {
    const { filled_by: _, ...withoutFiller } = workbook;
    const result = checkSource({ data: withoutFiller, map, diagnostics: [] }, campaign);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'schema/required', sheet: '基本信息', cell: 'A1', path: ['filled_by'] }));
  });

  it('takes a phone typed as a number, and a valid workbook becomes the same Submission as its YAML', () => {
    const fixed = { ...workbook, phone: '0559-8510026', statistics: { ...workbook.statistics, inspectors: 12, samples_failed: 1 }, cases: [], summary: BASE.split('summary: |\n  ')[1]!.trim() };
    const result = checkSource({ data: fixed, map, diagnostics: [] }, campaign);
    expect(result.diagnostics).toEqual([]);
    const yaml = checkText(BASE.replace('tasks:\n  32: 联合区市场监管局巡查网售野生动植物，督促平台下架疑似野生兰花信息15条。', 'tasks:\n  32: 巡查网售野生动植物。'), campaign);
    expect(result.submission).toEqual(yaml.submission);
  });
});
