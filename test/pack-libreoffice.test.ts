/**
 * The package's Word documents opened in a real word processor: LibreOffice converts both
 * to PDF, and the PDF's page and text boxes (pdftotext -bbox-layout) are measured against
 * GB/T 9704: A4, margins 37/35/28/26 mm, 28 characters × 22 lines, page numbers at the
 * outer bottom edge. The text must carry the merged totals and every case title.
 * Without soffice/pdftotext the checks are skipped with a note, except on CI (CI=true),
 * where a missing tool fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempCopy, tempDir } from './helpers/exec.js';
import { REPO, SAMPLE_SUBMISSIONS } from './helpers/paths.js';

const TOOLS = ['soffice', 'pdftotext', 'pdfinfo'];
const missing = TOOLS.filter((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
const onCi = process.env.CI === 'true';
if (missing.length && !onCi) console.warn(`pack-libreoffice: ${missing.join(', ')} not found, Word layout checks skipped (apt-get install libreoffice-writer-nogui poppler-utils)`);

const TIMEOUT = 180_000;
const NAME = '黄山区2024网络市场监管促发展保安全专项行动';
const PT_PER_MM = 72 / 25.4;

interface Line {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}
interface Page {
  width: number;
  height: number;
  lines: Line[];
}

/** Pages and their text lines, in points from the top left, from pdftotext -bbox-layout. */
function readBoxes(pdf: string): Page[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return html.split('<page ').slice(1).map((chunk) => {
    const num = (s: string, k: string) => Number(new RegExp(`${k}="([\\d.]+)"`).exec(s)?.[1]);
    const lines = [...chunk.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)].map((m) => ({
      xMin: num(m[1]!, 'xMin'),
      yMin: num(m[1]!, 'yMin'),
      xMax: num(m[1]!, 'xMax'),
      yMax: num(m[1]!, 'yMax'),
      text: [...m[2]!.matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(''),
    }));
    return { width: num(chunk, 'width'), height: num(chunk, 'height'), lines };
  });
}

const mm = (pt: number) => pt / PT_PER_MM;
/**
 * Where a line's text ends. LibreOffice hangs a closing mark (，。、) in the right margin
 * rather than start the next line with it, whatever w:overflowPunct says (Word honours it):
 * the mark is not counted against the margin.
 */
const textEnd = (l: Line) => l.xMax - (/[，。、；：！？”’）》]$/.test(l.text) ? 16 : 0);
const isPageNumber = (l: Line) => /^—\d+—$/.test(l.text.replace(/\s/g, ''));
const flat = (s: string) => s.replace(/\s+/g, '');

describe.skipIf(missing.length > 0 && !onCi)('the package documents in LibreOffice', () => {
  let draft: Page[];
  let cases: Page[];
  let draftText: string;
  let casesText: string;
  let folder: string;

  beforeAll(() => {
    if (missing.length) throw new Error(`CI=true but ${missing.join(', ')} missing: install libreoffice-writer-nogui and poppler-utils (.ci/run does)`);
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-lo-');
    const out = join(tempDir('pack-lo-out-'), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, '--as-of', '2024-11-15T09:00+08:00']);
    if (r.code !== 0) throw new Error(r.stderr);
    folder = join(out, NAME);
    const pdfDir = tempDir('pack-lo-pdf-');
    const profile = pathToFileURL(mkdtempSync(join(tmpdir(), 'lo-profile-'))).href;
    const docs = readdirSync(folder).filter((f) => f.endsWith('.docx')).map((f) => join(folder, f));
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', pdfDir, ...docs], {
      timeout: TIMEOUT,
      stdio: 'pipe',
      env: { ...process.env, FONTCONFIG_FILE: join(REPO, 'scripts', 'preview-fonts.conf') },
    });
    draft = readBoxes(join(pdfDir, '黄山区市场监督管理局-专项行动总结（汇总稿）.pdf'));
    cases = readBoxes(join(pdfDir, '黄山区市场监督管理局-典型案例汇编.pdf'));
    draftText = flat(execFileSync('pdftotext', [join(pdfDir, '黄山区市场监督管理局-专项行动总结（汇总稿）.pdf'), '-'], { encoding: 'utf8' }));
    casesText = flat(execFileSync('pdftotext', [join(pdfDir, '黄山区市场监督管理局-典型案例汇编.pdf'), '-'], { encoding: 'utf8' }));
  }, TIMEOUT);

  it('lays every page out on A4 with the 公文 margins', () => {
    for (const [name, pages] of [['draft', draft], ['cases', cases]] as const) {
      expect(pages.length, name).toBeGreaterThan(1);
      for (const page of pages) {
        expect(page.width, name).toBeCloseTo(595.3, 0);
        expect(page.height, name).toBeCloseTo(841.9, 0);
        const body = page.lines.filter((l) => !isPageNumber(l));
        expect(mm(Math.min(...body.map((l) => l.xMin))), `${name} left margin`).toBeGreaterThan(27.5);
        expect(mm(page.width - Math.max(...body.map(textEnd))), `${name} right margin`).toBeGreaterThan(25.5);
        expect(mm(Math.min(...body.map((l) => l.yMin))), `${name} top margin`).toBeGreaterThan(36.5);
        expect(mm(page.height - Math.max(...body.map((l) => l.yMax))), `${name} bottom margin`).toBeGreaterThan(34.5);
      }
      // Full text lines reach the margins: the text block is the whole 156 mm.
      const all = pages.flatMap((p) => p.lines.filter((l) => !isPageNumber(l)));
      expect(mm(Math.min(...all.map((l) => l.xMin))), `${name} left`).toBeLessThan(28.5);
      expect(mm(595.3 - Math.max(...all.map(textEnd))), `${name} right`).toBeLessThan(27);
    }
    // The first line sits on the first grid line, 37 mm down.
    expect(mm(draft[0]!.lines[0]!.yMin)).toBeLessThan(40);
  });

  it('sets 22 lines of 28 characters on a full page', () => {
    const bodyLines = (p: Page) => p.lines.filter((l) => !isPageNumber(l));
    expect(Math.max(...draft.map((p) => bodyLines(p).length))).toBe(22);
    const cjkOnly = draft.flatMap(bodyLines).map((l) => l.text).filter((t) => /^[\u3000-\u9fff\uff00-\uffef]+$/.test(t));
    expect(Math.max(...cjkOnly.map((t) => [...t].length))).toBe(28);
  });

  it('numbers pages "— n —" at the outer bottom edge, odd right and even left', () => {
    for (const [i, page] of draft.entries()) {
      const number = page.lines.find(isPageNumber);
      expect(number, `page ${i + 1}`).toBeDefined();
      expect(flat(number!.text)).toBe(`—${i + 1}—`);
      // GB/T 9704 7.5: the dash 7 mm below the text block (35 mm up), i.e. 28 mm from the bottom edge.
      const dash = mm(page.height - (number!.yMin + number!.yMax) / 2);
      expect(dash).toBeGreaterThan(27);
      expect(dash).toBeLessThan(29);
      if (i % 2 === 0) expect(mm(page.width - number!.xMax), 'odd: right, one character in').toBeLessThan(35);
      else expect(mm(number!.xMin), 'even: left, one character in').toBeLessThan(37);
    }
  });

  it('says it is a draft with the date of the data, and its totals sentence has the merged figures', async () => {
    expect(flat(draft[0]!.lines[0]!.text)).toBe('附件1'); // the cover report's attachment mark, then the draft's note
    expect(flat(draft[0]!.lines[1]!.text)).toContain('汇总稿');
    expect(draftText).toContain('数据截至2024年11月15日');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder, '黄山区市场监督管理局-2024网络市场监管专项行动情况统计表.xlsx'));
    const ws = wb.getWorksheet('统计表')!;
    let header = 0;
    let total = 0;
    ws.eachRow((row, r) => {
      const first = row.values as unknown[];
      if (first.some((v) => v === '出动执法人员' || (typeof v === 'string' && v.startsWith('出动执法人员')))) header = r;
      if (first.some((v) => typeof v === 'string' && v.replace(/\s/g, '') === '合计')) total = r;
    });
    expect(header).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(0);
    const sentence = /专项行动期间，全区共[^。]+。/.exec(draftText)?.[0] ?? '';
    expect(sentence).toContain('出动执法人员2026人次');
    expect(sentence).toContain('罚没款68.2825万元');
    // A figure the campaign places under one 关 (抽检 and 不合格: 质量关) is said there, not in the overall sentence.
    expect(draftText).toContain('质量关方面，全区共抽检86批次、不合格5批次。');
    const figures = [sentence, ...[...draftText.matchAll(/[^。]{1,4}关方面，全区共[^。]+。/g)].map((m) => m[0])].join('');
    // Every figure of the 合计 row is in the sentence with its label; none is invented.
    let checked = 0;
    for (let c = 1; c <= ws.columnCount; c++) {
      const label = String(ws.getCell(header, c).value ?? '').replace(/（.*$/, '').replace(/\s/g, '');
      const cell = ws.getCell(total, c);
      if (cell.type !== ExcelJS.ValueType.Formula) continue;
      // 曝光 is said once, with the cases.
      expect(label.includes('曝光') ? draftText : figures, label).toContain(`${label}${cell.result}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(draftText.replace(/—\d+—/g, '')).toContain('区林业局尚未报送，以下情况和数据不含该单位'); // a page's number may fall inside the sentence
  });

  it('has every case title, in the compilation and in brief in the draft', () => {
    const titles = readdirSync(SAMPLE_SUBMISSIONS)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => ((parse(readFileSync(join(SAMPLE_SUBMISSIONS, f), 'utf8')) as { cases?: { title: string }[] }).cases ?? []).map((c) => c.title));
    expect(titles.length).toBeGreaterThan(5);
    for (const title of titles) {
      expect(casesText, title).toContain(flat(title));
      expect(draftText, title).toContain(flat(title));
    }
  });
});
