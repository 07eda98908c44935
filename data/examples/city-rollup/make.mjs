#!/usr/bin/env node
/**
 * Makes the two-level roll-up example (run after `npm run build`; the results are committed):
 * a city's campaign (campaign.yaml) whose units are three districts, and as the city's
 * submissions (submissions/) each district's merged workbook, written by `report merge` on
 * that district's own campaign and folder — exactly what a district sends up.
 *
 * The districts' folders are the bundled sample (data/submissions), less a unit or two each so
 * that their figures differ. Usage: node data/examples/city-rollup/make.mjs
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  { id: 'txq', name: '屯溪区', issuer: '屯溪区市场监督管理局', leave: ['区税务局.yaml'], contact: { name: '汪海燕', phone: '0559-2512002' } },
  { id: 'hzq', name: '徽州区', issuer: '徽州区市场监督管理局', leave: ['区文旅体局.yaml', '区公安分局.yaml'], contact: { name: '方志强', phone: '0559-3512003' } },
];

rmSync(join(HERE, 'submissions'), { recursive: true, force: true });
mkdirSync(join(HERE, 'submissions'), { recursive: true });
for (const d of DISTRICTS) {
  const campaign = { ...base, id: `${d.id}_2024_wlsc`, title: base.title.replace('黄山区', d.name), issuer: d.issuer };
  const dir = join(work, d.id);
  mkdirSync(dir);
  writeFileSync(join(dir, 'campaign.yaml'), stringify(campaign));
  cpSync(join(REPO, 'data', 'submissions'), join(dir, 'submissions'), { recursive: true });
  for (const file of d.leave) rmSync(join(dir, 'submissions', file));
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
