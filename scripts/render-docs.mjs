#!/usr/bin/env node
/**
 * `npm run render-docs`: the pictures of the package's Word documents in the README — page 1
 * of the cover 报告, the 总结 draft and the 典型案例汇编 (docs/pack-cover-page1.png,
 * docs/pack-summary-page1.png, docs/pack-cases-page1.png). Packs the bundled sample
 * submissions, converts the documents with LibreOffice (the 公文 fonts shown in Noto CJK
 * through scripts/preview-fonts.conf) and renders page 1 with pdftoppm. Needs the build,
 * soffice (Writer) and poppler-utils.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGES = [
  ['黄山区市场监督管理局-0-报送报告', 'pack-cover-page1.png'],
  ['黄山区市场监督管理局-专项行动总结（汇总稿）', 'pack-summary-page1.png'],
  ['黄山区市场监督管理局-典型案例汇编', 'pack-cases-page1.png'],
];
const tmp = mkdtempSync(join(tmpdir(), 'report-render-docs-'));
try {
  execFileSync(process.execPath, [join(ROOT, 'bin', 'report.js'), 'pack', '--dir', join(ROOT, 'data', 'submissions'), '--out', tmp, '--as-of', '2024-11-15T09:00+08:00'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, REPORT_LANG: 'zh' },
  });
  const folder = join(tmp, '黄山区2024网络市场监管促发展保安全专项行动');
  const profile = pathToFileURL(join(tmp, 'lo-profile')).href;
  execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', tmp, ...PAGES.map(([name]) => join(folder, `${name}.docx`))], {
    stdio: 'ignore',
    env: { ...process.env, FONTCONFIG_FILE: join(ROOT, 'scripts', 'preview-fonts.conf') },
  });
  for (const [name, png] of PAGES) {
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(tmp, `${name}.pdf`), join(tmp, 'page')]);
    copyFileSync(join(tmp, 'page.png'), join(ROOT, 'docs', png));
    console.log(`written ${join(ROOT, 'docs', png)}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
