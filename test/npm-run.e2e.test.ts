/** The README's way of running the tool, `npm run report -- …`, resolves paths from where npm was started. */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from './helpers/exec.js';
import { REPO, SAMPLE_SUBMISSIONS } from './helpers/paths.js';

it('npm run report -- validate FILE takes FILE relative to the folder npm was started in', () => {
  const dir = tempDir();
  copyFileSync(join(SAMPLE_SUBMISSIONS, '区税务局.yaml'), join(dir, '区税务局.yaml'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['--prefix', REPO, 'run', '--silent', 'report', '--', 'validate', '区税务局.yaml'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', REPORT_CACHE_DIR: tempDir() },
    shell: process.platform === 'win32',
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('区税务局.yaml：校验通过');
});
