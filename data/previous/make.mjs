// Last year's merged statistics table for the sample data (2023, the same seven departments),
// made as an office keeps it: the output of `report merge` on that year's submissions.
// Run after `npm run build`:  node data/previous/make.mjs
// Figures are chosen so the demo shows: 同比 for most figures; a department that reported last
// year but not this year (区林业局) and one that did not report last year (区税务局), both named;
// a figure blank last year (区公安分局 检查网站平台网店) that gets no 同比; and one figure far
// from last year (区文旅体局 出动执法人员, 218 against 14) that validate warns about.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'data', 'previous', '2023网络市场监管专项行动情况统计表.xlsx');

/** Department name → indicator id → figure (null: left blank). */
const lastYear = {
  区市场监管局: { inspectors: 1052, platforms_checked: 1890, listings_removed: 1320, accounts_handled: 31, sites_rectified: 11, sites_closed: 1, apps_handled: null, shops_suspended: 6, cases_filed: 39, cases_closed: 35, fines: 51.406, cases_transferred: 3, samples_tested: 72, samples_failed: 6, cases_exposed: 5, practices: 2, regulations: 2 },
  区委网信办: { inspectors: 58, platforms_checked: 301, listings_removed: 1105, accounts_handled: 64, sites_rectified: 5, sites_closed: 1, apps_handled: 1, shops_suspended: null, cases_filed: null, cases_closed: null, fines: null, cases_transferred: null, samples_tested: null, samples_failed: null, cases_exposed: 1, practices: 1, regulations: 1 },
  区文旅体局: { inspectors: 14, platforms_checked: 132, listings_removed: 29, accounts_handled: 2, sites_rectified: 3, sites_closed: null, apps_handled: null, shops_suspended: null, cases_filed: 2, cases_closed: 2, fines: 1.25, cases_transferred: 0, samples_tested: null, samples_failed: null, cases_exposed: 1, practices: 1, regulations: 0 },
  区公安分局: { inspectors: 365, platforms_checked: null, listings_removed: 281, accounts_handled: 47, sites_rectified: 9, sites_closed: 2, apps_handled: 2, shops_suspended: null, cases_filed: 12, cases_closed: 10, fines: 2.8, cases_transferred: 5, samples_tested: null, samples_failed: null, cases_exposed: 2, practices: 1, regulations: 1 },
  区林业局: { inspectors: 36, platforms_checked: 22, listings_removed: 8, accounts_handled: null, sites_rectified: null, sites_closed: null, apps_handled: null, shops_suspended: null, cases_filed: 1, cases_closed: 1, fines: 0.3, cases_transferred: 0, samples_tested: null, samples_failed: null, cases_exposed: null, practices: 1, regulations: null },
  区商务局: { inspectors: 40, platforms_checked: 35, listings_removed: null, accounts_handled: null, sites_rectified: 1, sites_closed: null, apps_handled: null, shops_suspended: null, cases_filed: null, cases_closed: null, fines: null, cases_transferred: null, samples_tested: null, samples_failed: null, cases_exposed: null, practices: 1, regulations: 1 },
  // 区税务局 did not report in 2023.
};

const dir = mkdtempSync(join(tmpdir(), 'report-2023-'));
try {
  for (const [name, figures] of Object.entries(lastYear)) {
    const stats = Object.entries(figures).map(([id, v]) => `  ${id}:${v === null ? '' : ` ${v}`}`).join('\n');
    writeFileSync(join(dir, `${name}.yaml`), `department: ${name}\nfilled_by: 示例\nphone: "0559-0000000"\nsubmitted_at: 2023-11-10\nstatistics:\n${stats}\n`);
  }
  const run = spawnSync(process.execPath, ['bin/report.js', 'merge', '--dir', dir, '--as-of', '2023-11-15T09:00+08:00', '--force', '--out', out], { cwd: root, encoding: 'utf8' });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) process.exit(run.status ?? 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
