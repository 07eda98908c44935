// The README's main job on the bundled sample data: validate, status, merge, pack, each beside
// last year's table (data/previous, made by data/previous/make.mjs) for 同比 and the warnings against history.
// Runs the built CLI as a user would; status exits 1 because the sample deliberately
// has a missing department, so only merge's exit code decides this script's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const asOf = '2024-11-15T09:00+08:00';
const run = (...args) => {
  console.log(`\n$ report ${args.join(' ')}`);
  return spawnSync(process.execPath, ['bin/report.js', ...args], { cwd: root, stdio: 'inherit' }).status;
};

const previous = ['--previous', 'data/previous/2023网络市场监管专项行动情况统计表.xlsx'];
run('validate', 'data/submissions', ...previous);
run('status', '--as-of', asOf, ...previous);
const code = run('merge', '--as-of', asOf, '--force', '--out', 'out/2024网络市场监管专项行动情况统计表.xlsx', ...previous);
const packed = run('pack', '--as-of', asOf, '--force', '--out', 'out', ...previous);
process.exit(code || packed || 0);
