/**
 * Issue 19, item 4: the roll-up proved by property, not by one example. For each seed a random
 * province is made — cities of districts of departments, some departments, districts and
 * cities missing, figures left blank, several departments writing on one task, long texts
 * over several lines, some districts merged with a template that locks its structure (so
 * their 附表 sits beside the table) — and merged level by level, district → city → province,
 * through the same core `report merge` runs (readyToMerge, prepareWorkbook, writeMerge), in
 * this process: seven levels' merges per seed, many seeds, in CI time. At the top it asserts:
 * - every figure of the 合计 is the sum of the lowest-level figures that were reported (blank
 *   when none was);
 * - every case, task report and summary appears exactly once, with its path of units;
 * - every unit missing at any level is named, by its path, in the 合计's note.
 * ROLLUP_SEEDS=200 runs more seeds.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCampaign } from '../src/source/campaign.js';
import type { Campaign } from '../src/campaign/schema.js';
import type { PipelineEvent } from '../src/pipeline/events.js';
import { cellAt, cellText, readWorkbook, type Sheet } from '../src/xlsx/cells.js';
import { prepareWorkbook, readyToMerge, writeMerge } from '../src/pipeline/merge.js';
import { findTable } from '../src/table/in-workbook.js';
import { buildTemplate } from '../src/template/default.js';
import { tempDir } from './helpers/exec.js';
import { CAMPAIGN_FILE } from './helpers/paths.js';
import { lockTemplate } from './helpers/rollup.js';

const SEEDS = Number(process.env.ROLLUP_SEEDS ?? 12);
const AS_OF = '2024-11-20T09:00';
const PATH = '／';

/** mulberry32: a small seeded generator, so a failing seed can be run again. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), chance: (p: number) => next() < p };
}

interface Expected {
  figures: Map<string, number[]>;
  cases: string[];
  tasks: string[];
  summaries: string[];
  missing: string[];
}

const UNIT_WORDS = ['农业', '水利', '教育', '卫健', '交通', '城管', '民政', '司法'];
const CITY_WORDS = ['东', '西', '南', '北'];

/** A level's campaign: the plan's indicators and first tasks (everyone's), these units, no cross-figure rules. */
function levelCampaign(base: Campaign, id: string, issuer: string, units: { id: string; name: string; aliases?: string[] }[]): Campaign {
  return {
    ...base,
    id,
    title: `${issuer.replace(/市场监管局$/, '')}专项行动`,
    issuer,
    departments: units.map((u) => ({ ...u, aliases: u.aliases ?? [], contact: { name: '张三', phone: '13800000000' } })),
    tasks: base.tasks.slice(0, 6).map((t) => ({ ...t, departments: 'all' as const })),
    rules: [],
  };
}

/** Merges a folder as `report merge` does; throws with the events it handed out when it refuses. */
async function mergeLevel(campaign: Campaign, dir: string, out: string, template?: string): Promise<void> {
  const events: PipelineEvent[] = [];
  const emit = (event: PipelineEvent) => void events.push(event);
  const prepared = prepareWorkbook(campaign, { path: template });
  const ready = await readyToMerge({ dir, asOf: AS_OF }, campaign, emit);
  if (typeof ready === 'number') throw new Error(`${campaign.issuer}: ${JSON.stringify(events, null, 1)}`);
  await writeMerge({ campaign, statuses: ready.report.departments, fillDate: ready.fillDate }, out, prepared, false, emit);
}

/** The campaign's default template with its structure locked, as an issuing office might send it. */
async function lockedTemplate(campaign: Campaign, dir: string): Promise<string> {
  return lockTemplate(new Uint8Array(await buildTemplate(campaign).xlsx.writeBuffer()), dir);
}

/** A text of `words` characters or so, over several lines when long, marked so it can be found. */
function text(rnd: ReturnType<typeof random>, mark: string): string {
  const long = rnd.chance(0.15);
  const lines = long ? rnd.int(2, 5) : 1;
  const filler = '依托监测平台开展核查督促整改并建立长效机制';
  return Array.from({ length: lines }, (_, i) => `${i === 0 ? mark : '另'}${filler.repeat(long ? rnd.int(20, 60) : rnd.int(1, 3))}。`).join('\n');
}

/** One department's submission, recorded in `expected` under `path`. */
function submission(rnd: ReturnType<typeof random>, base: Campaign, name: string, path: string, expected: Expected, seed: number): Record<string, unknown> {
  const statistics: Record<string, number | null> = {};
  for (const ind of base.indicators) {
    if (rnd.chance(0.3)) statistics[ind.id] = null;
    else {
      const value = ind.kind === 'count' ? rnd.int(0, 400) : rnd.int(0, 2_000_000) / 10000;
      statistics[ind.id] = value;
      expected.figures.get(ind.id)!.push(value);
    }
  }
  const tasks: Record<number, string> = {};
  for (const t of base.tasks.slice(0, 6)) {
    if (!rnd.chance(0.5)) continue;
    tasks[t.no] = text(rnd, `〔${seed}${path}任务${t.no}〕`);
    expected.tasks.push(`${path}|${tasks[t.no]}`);
  }
  const cases = Array.from({ length: rnd.int(0, 3) }, (_, k) => {
    const title = `〔${seed}${path}案例${k}〕某网店违法案`;
    expected.cases.push(`${path}|${title}`);
    return { title, task: base.tasks[rnd.int(0, 5)]!.no, date: '2024-08-15', summary: text(rnd, '经查'), exposed: rnd.chance(0.5), ...(rnd.chance(0.5) && { fine: rnd.int(1, 90000) / 10000 }) };
  });
  const data: Record<string, unknown> = { department: name, filled_by: '李四', phone: '13900000000', submitted_at: '2024-11-10', statistics, tasks, cases };
  if (rnd.chance(0.8)) {
    data.summary = text(rnd, `〔${seed}${path}总结〕`);
    expected.summaries.push(`${path}|${data.summary as string}`);
  }
  return data;
}

/** The rows of an added sheet: `unit|text` of every row with both (placeholders left out). */
function rows(sheet: Sheet, unitCol: number, textCol: number): string[] {
  const out: string[] = [];
  for (let r = 3; r <= sheet.maxRow; r++) {
    const unit = cellText(cellAt(sheet, r, unitCol)).trim();
    const value = cellText(cellAt(sheet, r, textCol));
    if (unit && value && !/^（(未报送|未填写)）$/.test(value)) out.push(`${unit}|${value}`);
  }
  return out;
}

async function runSeed(seed: number, base: Campaign): Promise<void> {
  const rnd = random(seed);
  const root = tempDir(`rollup-property-${seed}-`);
  const expected: Expected = { figures: new Map(base.indicators.map((i) => [i.id, []])), cases: [], tasks: [], summaries: [], missing: [] };
  const cities = CITY_WORDS.slice(0, rnd.int(1, 3)).map((w, ci) => ({ id: `c${ci}`, name: `${w}城市`, issuer: `${w}城市市场监管局` }));
  const province = levelCampaign(base, 'province', '某省市场监管局', cities.map((c) => ({ id: c.id, name: c.name, aliases: [c.issuer] })));
  const provinceDir = join(root, 'province');
  mkdirSync(provinceDir);
  for (const city of cities) {
    const districts = Array.from({ length: rnd.int(1, 3) }, (_, di) => ({ id: `d${di}`, name: `${city.name.slice(0, 1)}${'一二三'[di]}区`, issuer: `${city.name.slice(0, 1)}${'一二三'[di]}区市场监管局` }));
    const cityCampaign = levelCampaign(base, `${city.id}_city`, city.issuer, districts.map((d) => ({ id: d.id, name: d.name, aliases: [d.issuer] })));
    const cityDir = join(root, city.id);
    mkdirSync(cityDir);
    if (!rnd.chance(0.1)) {
      for (const district of districts) {
        const path = `${city.name}${PATH}${district.name}`;
        if (rnd.chance(0.1)) {
          expected.missing.push(path);
          continue;
        }
        const words = [...UNIT_WORDS].sort(() => rnd.next() - 0.5).slice(0, rnd.int(1, 5));
        const units = words.map((w, k) => ({ id: `u${k}`, name: `区${w}局` }));
        const campaign = levelCampaign(base, `${city.id}_${district.id}`, district.issuer, units);
        const dir = join(root, 'in', `${city.id}-${district.id}`);
        mkdirSync(dir, { recursive: true });
        for (const unit of units) {
          const unitPath = `${path}${PATH}${unit.name}`;
          if (rnd.chance(0.2)) expected.missing.push(unitPath);
          else writeFileSync(join(dir, `${unit.name}.yaml`), stringify(submission(rnd, base, unit.name, unitPath, expected, seed)));
        }
        let template: string | undefined;
        if (rnd.chance(0.4)) {
          const tplDir = join(root, 'templates', `${city.id}-${district.id}`);
          mkdirSync(tplDir, { recursive: true });
          template = await lockedTemplate(campaign, tplDir);
        }
        await mergeLevel(campaign, dir, join(cityDir, `${district.name}.xlsx`), template);
      }
      const cityOut = join(provinceDir, `${city.name}.xlsx`);
      await mergeLevel(cityCampaign, cityDir, cityOut);
    } else {
      expected.missing.push(city.name);
    }
  }
  const out = join(root, 'province.xlsx');
  await mergeLevel(province, provinceDir, out);

  const wb = readWorkbook(readFileSync(out));
  const table = findTable(wb.sheets, province)!;
  const { layout, sheet } = table;
  for (const ind of base.indicators) {
    const cell = cellAt(sheet, layout.totalRow!, layout.columns[ind.id]!);
    const values = expected.figures.get(ind.id)!;
    if (values.length === 0) expect(cell?.value ?? null, `seed ${seed} ${ind.label}`).toBeNull();
    else expect(Math.round(Number(cell?.value) * 10000), `seed ${seed} ${ind.label}`).toBe(values.reduce((a, v) => a + Math.round(v * 10000), 0));
  }
  const named = (name: string) => wb.sheets.find((s) => s.name === name)!;
  expect(rows(named('典型案例'), 2, 5).sort(), `seed ${seed} 典型案例`).toEqual(expected.cases.sort());
  expect(rows(named('重点任务落实'), 5, 6).sort(), `seed ${seed} 重点任务落实`).toEqual(expected.tasks.sort());
  expect(rows(named('工作总结'), 1, 2).sort(), `seed ${seed} 工作总结`).toEqual(expected.summaries.sort());
  // The 合计's note: 未含：a、b（未报送）；c（未填…）…
  const note = cellText(cellAt(sheet, layout.totalRow!, layout.noteCol!));
  const notSent = /(?:^未含：|；)([^；]*)（未报送）/u.exec(note)?.[1]?.split('、') ?? [];
  expect(notSent.sort(), `seed ${seed} 未报送 in ${note}`).toEqual(expected.missing.sort());
}

describe('roll-up by property: random districts → cities → a province', () => {
  it(`every figure, row and gap reaches the top (${SEEDS} seeds)`, async () => {
    const base = await loadCampaign(CAMPAIGN_FILE);
    for (let seed = 1; seed <= SEEDS; seed++) await runSeed(seed, base);
  }, Math.max(240_000, SEEDS * 10_000)); // about a second a seed; ten under load
});
