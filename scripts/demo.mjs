// The README's main job on the bundled sample data: validate, status, merge.
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

run('validate', 'data/submissions');
run('status', '--as-of', asOf);
const code = run('merge', '--as-of', asOf, '--force', '--out', 'out/2024网络市场监管专项行动情况统计表.xlsx');
process.exit(code ?? 1);
