#!/usr/bin/env node
/**
 * Makes the two-level roll-up example (run after `npm run build`; the results are committed):
 * a city's campaign (campaign.yaml) whose units are three districts, and as the city's
 * submissions (submissions/) each district's merged workbook, written by `report merge` on
 * that district's own campaign and folder — exactly what a district sends up.
 *
 * The districts differ as real ones do: 黄山区 is the bundled sample (data/submissions, 区林业局
 * 未报送); 屯溪区 has no 区税务局 file and its figures and texts are its own (scaled, its places
 * named); 徽州区 has no 区林业局 at all in its campaign, no file from 区文旅体局 and 区公安分局,
 * and its own figures and texts. So the city's table shows each district's gaps carried up.
 * Usage: npm run build && node data/examples/city-rollup/make.mjs
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..', '..');
const base = parse(readFileSync(join(REPO, 'data', 'campaign.yaml'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'city-rollup-'));

const DISTRICTS = [
  { id: 'hsq', name: '黄山区', issuer: '黄山区市场监督管理局', leave: [], contact: { name: '程晓东', phone: '0559-8512001' } },
  {
    id: 'txq', name: '屯溪区', issuer: '屯溪区市场监督管理局', leave: ['区税务局.yaml'], contact: { name: '汪海燕', phone: '0559-2512002' },
    scale: 0.8, places: { 太平湖: '屯溪老街', 新明乡: '奕棋镇' },
  },
  {
    id: 'hzq', name: '徽州区', issuer: '徽州区市场监督管理局', leave: ['区文旅体局.yaml', '区公安分局.yaml'], contact: { name: '方志强', phone: '0559-3512003' },
    scale: 0.55, places: { 太平湖: '呈坎古村', 新明乡: '潜口镇' }, without: 'forestry',
  },
];

/** A district's own words: its name and places instead of 黄山区's, its own counts (126家 → 101家). */
const retext = (d, text) =>
  Object.entries({ 黄山区: d.name, ...d.places })
    .reduce((t, [from, to]) => t.replaceAll(from, to), text)
    .replace(/\d+(?=[家户条个人批件起次项场期])/g, (n) => String(Math.max(1, Math.round(Number(n) * d.scale))));

/** A district's own submission: 黄山区's with its figures scaled and its texts in its own words. */
function localise(d, file) {
  const data = parse(readFileSync(file, 'utf8'));
  for (const [id, value] of Object.entries(data.statistics ?? {})) {
    if (typeof value === 'number') data.statistics[id] = Number.isInteger(value) ? Math.round(value * d.scale) : Math.round(value * d.scale * 10000) / 10000;
  }
  for (const no of Object.keys(data.tasks ?? {})) data.tasks[no] = retext(d, data.tasks[no]);
  for (const c of data.cases ?? []) for (const k of ['title', 'summary', 'result']) if (typeof c[k] === 'string') c[k] = retext(d, c[k]);
  if (typeof data.summary === 'string') data.summary = retext(d, data.summary);
  writeFileSync(file, stringify(data));
}

rmSync(join(HERE, 'submissions'), { recursive: true, force: true });
mkdirSync(join(HERE, 'submissions'), { recursive: true });
for (const d of DISTRICTS) {
  const campaign = { ...base, id: `${d.id}_2024_wlsc`, title: base.title.replace('黄山区', d.name), issuer: d.issuer };
  if (d.without) {
    campaign.departments = base.departments.filter((x) => x.id !== d.without);
    campaign.tasks = base.tasks.map((t) => (t.departments === 'all' ? t : { ...t, departments: t.departments.filter((id) => id !== d.without) }))
      .map((t) => (t.departments.length === 0 ? { ...t, departments: 'all' } : t));
  }
  const dir = join(work, d.id);
  mkdirSync(dir);
  writeFileSync(join(dir, 'campaign.yaml'), stringify(campaign));
  cpSync(join(REPO, 'data', 'submissions'), join(dir, 'submissions'), { recursive: true });
  for (const file of d.leave) rmSync(join(dir, 'submissions', file));
  if (d.scale) {
    for (const name of readdirSync(join(dir, 'submissions')).filter((n) => n.endsWith('.yaml'))) localise(d, join(dir, 'submissions', name));
    const summary = join(dir, 'submissions', '区商务局总结.txt');
    writeFileSync(summary, retext(d, readFileSync(summary, 'utf8')));
  }
  execFileSync(process.execPath, [
    join(REPO, 'bin', 'report.js'), 'merge', '--campaign', join(dir, 'campaign.yaml'), '--dir', join(dir, 'submissions'),
    '--as-of', '2024-11-13T09:00', '--out', join(HERE, 'submissions', `${d.name}.xlsx`),
  ], { stdio: 'inherit' });
}

// The city's campaign: the same plan, table and rules; its units are the districts' bureaus.
const city = {
  ...base,
  id: 'hss_2024_wlsc',
  title: '黄山市2024网络市场监管促发展保安全专项行动',
  issuer: '黄山市市场监督管理局',
  deadline: '2024-11-20T23:59:59+08:00',
  departments: DISTRICTS.map((d) => ({ id: d.id, name: d.name, aliases: [d.issuer, `${d.name}市场监管局`], contact: d.contact })),
  tasks: base.tasks.map((t) => ({ ...t, departments: 'all' })),
};
writeFileSync(
  join(HERE, 'campaign.yaml'),
  `# 两级汇总示例：黄山市的活动配置，报送单位是三个区的市场监管局；各区交来的是本区 report merge 生成的汇总表\n# 由 make.mjs 生成：node data/examples/city-rollup/make.mjs\n${stringify(city)}`,
);
rmSync(work, { recursive: true, force: true });
