// Renders an issued template and the merged table made from it as PNG pictures for the
// documentation: test/fixtures/templates/excel-seal.xlsx (合计 under the header, a 公章
// over the footer, two units not listed) filled with the sample submissions.
//
// Needs LibreOffice (soffice) and poppler-utils (pdftoppm); run after `npm run build`:
//   node scripts/render-template.mjs        → docs/template-before.png, docs/template-after.png
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const template = join(root, 'test/fixtures/templates/excel-seal.xlsx');
const work = mkdtempSync(join(tmpdir(), 'report-render-'));
try {
  const merged = join(work, 'after.xlsx');
  execFileSync(process.execPath, [join(root, 'bin/report.js'), 'merge', '--dir', join(root, 'data/submissions'), '--template', template,
    '--out', merged, '--as-of', '2024-11-15T09:00+08:00'], { stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(template, join(work, 'before.xlsx'));
  const profile = pathToFileURL(join(work, 'profile')).href;
  execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', work, join(work, 'before.xlsx'), merged], { stdio: 'ignore' });
  for (const name of ['before', 'after']) {
    // The statistics sheet is the first page.
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(work, `${name}.pdf`), join(root, 'docs', `template-${name}`)]);
    console.log(`written docs/template-${name}.png`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
