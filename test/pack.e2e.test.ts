/**
 * `report pack` end to end: the built CLI on folders of submissions (and on one
 * department's file); the package read back from disk and from its zip.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { docxParagraphs } from './helpers/docx.js';
import { runCli, runCliAsync, tempCopy, tempDir } from './helpers/exec.js';
import { fixture, REPO, SAMPLE_SUBMISSIONS } from './helpers/paths.js';

const AS_OF = ['--as-of', '2024-11-15T09:00+08:00'];
const NAME = '黄山区2024网络市场监管促发展保安全专项行动';
const ISSUER = '黄山区市场监督管理局';
/** A file of a package, named after its unit (the issuer, or a department's full name) as pack names it. */
const named = (file: string, unit = ISSUER) => `${unit}-${file}`;
const TABLE = '2024网络市场监管专项行动情况统计表.xlsx';
const WORKBOOK = named(TABLE);
const MANIFEST = named('报送清单.txt');
const POLICE = '黄山市公安局黄山分局';
const COMMERCE = '黄山区商务局';
const STOP = pathToFileURL(join(REPO, 'test', 'helpers', 'stop-pack.mjs')).href;
const EDIT = pathToFileURL(join(REPO, 'test', 'helpers', 'edit-during-pack.mjs')).href;
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const shaOf = (file: string) => sha(readFileSync(file));

/** Every file below a folder, as forward-slash paths relative to it. */
function filesBelow(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else out.push(relative(root, path).split(/[\\/]/).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** The 报送清单: the package's files and the departments' source files. */
function readManifest(folder: string, unit = ISSUER) {
  const text = readFileSync(join(folder, named('报送清单.txt', unit)), 'utf8');
  const files = [...text.matchAll(/^([0-9a-f]{64}) {2}(\d+) {2}(.+)$/gm)].map((m) => ({ sha256: m[1]!, size: Number(m[2]), path: m[3]!.trim() }));
  const sources = [...text.matchAll(/^(\S+) {2}(\S+) {2}([0-9a-f]{64}) {2}(\d+) {2}(.+)$/gm)].map((m) => ({ department: m[1]!, state: m[2]!, sha256: m[3]!, path: m[5]!.trim() }));
  return { text, files, sources };
}

function samplePack(extra: string[] = []) {
  const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
  const out = join(tempDir('pack-out-'), 'out');
  const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF, ...extra]);
  return { dir, out, r, folder: join(out, NAME), zip: join(out, `${NAME}.zip`) };
}

describe('report pack on the sample submissions', () => {
  it('writes the folder and its zip: workbook, both documents, materials and a manifest whose hashes are right', async () => {
    const { dir, r, folder, zip } = samplePack();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('6/7');
    expect(r.stderr).toContain('区林业局'); // the missing department is named, as merge names it
    expect(r.stderr).toMatch(/图片视频资料：4 个文件/);
    const files = filesBelow(folder);
    expect(files).toEqual(
      [
        WORKBOOK,
        named('0-报送报告.docx'),
        named('专项行动总结（汇总稿）.docx'),
        named('典型案例汇编.docx'),
        named('图片视频资料目录.docx'),
        '图片视频资料/区公安分局/收缴管制器具.png',
        '图片视频资料/区公安分局/案件研判会.png',
        '图片视频资料/区市场监管局/检查现场1.png',
        '图片视频资料/区市场监管局/检查现场2.png',
        MANIFEST,
      ].sort(),
    );
    // Materials are copied, never moved, bytes unchanged.
    expect(shaOf(join(folder, '图片视频资料/区公安分局/案件研判会.png'))).toBe(shaOf(join(dir, '材料/区公安分局/案件研判会.png')));
    expect(existsSync(join(dir, '材料/区公安分局/案件研判会.png'))).toBe(true);

    // Every other file is listed with its true size and SHA-256.
    const manifest = readManifest(folder);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(files.filter((f) => f !== MANIFEST));
    for (const f of manifest.files) {
      const bytes = readFileSync(join(folder, f.path));
      expect({ path: f.path, size: bytes.length, sha256: sha(bytes) }).toEqual(f);
    }
    // Each department's source: its submission (and summary file) hashed; the missing one listed as such.
    for (const name of ['区市场监管局.yaml', '区税务局.yaml', '区商务局.yaml', '区商务局总结.txt'])
      expect(manifest.sources.find((s) => s.path === name)?.sha256, name).toBe(shaOf(join(dir, name)));
    expect(manifest.sources.find((s) => s.path === '区税务局.yaml')?.state).toBe('逾期报送');
    expect(manifest.text).toMatch(/^区林业局 {2}未报送\r$/m);
    expect(manifest.text.startsWith('\ufeff')).toBe(true);

    // The zip holds the same folder, byte for byte; pictures stored, text deflated; UTF-8 names.
    const unzipped = await JSZip.loadAsync(readFileSync(zip));
    const entries = Object.values(unzipped.files).filter((e) => !e.dir);
    expect(entries.map((e) => e.name).sort()).toEqual(files.map((f) => `${NAME}/${f}`));
    for (const e of entries) expect(sha(Buffer.from(await e.async('uint8array'))), e.name).toBe(shaOf(join(folder, e.name.slice(NAME.length + 1))));
    const raw = readFileSync(zip);
    const method = (name: string) => {
      const at = raw.indexOf(Buffer.from(`${NAME}/${name}`));
      return { flags: raw.readUInt16LE(at - 30 + 6), method: raw.readUInt16LE(at - 30 + 8) };
    };
    expect(method('图片视频资料/区公安分局/案件研判会.png').method).toBe(0);
    expect(method(MANIFEST).method).toBe(8);
    expect(method(MANIFEST).flags & 0x0800).toBe(0x0800); // names in UTF-8
  });

  it('lists the summary file as it was checked and merged, even when it is saved again while the package is built', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const summary = join(dir, '区商务局总结.txt');
    const checked = readFileSync(summary);
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF], { nodeArgs: ['--import', EDIT], env: { REPORT_TEST_EDIT: summary } });
    expect(r.code, r.stderr).toBe(0);
    expect(shaOf(summary)).not.toBe(sha(checked)); // it did change meanwhile
    const listed = readManifest(join(out, NAME)).text.split('\r\n').find((l) => l.endsWith('  区商务局总结.txt'));
    expect(listed).toBe(`区商务局  已报送  ${sha(checked)}  ${checked.length}  区商务局总结.txt`);
  });

  it('lists the submission file with the size and hash of the bytes checked, even when it is saved again meanwhile', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const file = join(dir, '区商务局.yaml');
    const checked = readFileSync(file);
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF], { nodeArgs: ['--import', EDIT], env: { REPORT_TEST_EDIT: file } });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file).size).not.toBe(checked.length); // it did change meanwhile
    const listed = readManifest(join(out, NAME)).text.split('\r\n').find((l) => l.endsWith('  区商务局.yaml'));
    expect(listed).toBe(`区商务局  已报送  ${sha(checked)}  ${checked.length}  区商务局.yaml`);
  });

  it('puts the workbook in exactly as report merge writes it, but for the 附件2 in the print header of the table\'s sheet', async () => {
    const { dir, r, folder } = samplePack();
    expect(r.code, r.stderr).toBe(0);
    const merged = join(tempDir(), 'merged.xlsx');
    expect(runCli(['merge', '--dir', dir, '--out', merged, ...AS_OF]).code).toBe(0);
    const packed = await JSZip.loadAsync(readFileSync(join(folder, WORKBOOK)));
    const alone = await JSZip.loadAsync(readFileSync(merged));
    expect(Object.keys(packed.files)).toEqual(Object.keys(alone.files));
    const MARK = '<oddHeader>&amp;L附件2</oddHeader>';
    for (const name of Object.keys(alone.files)) {
      const [a, b] = await Promise.all([packed.file(name)!.async('string'), alone.file(name)!.async('string')]);
      if (name === 'xl/worksheets/sheet1.xml') {
        // The mark as a 公文 attachment carries it, top left of every page; merge's table has none; no cell differs.
        expect(a.match(/<headerFooter>.*<\/headerFooter>/)?.[0]).toBe(`<headerFooter>${MARK}<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>`);
        expect(b).not.toContain('附件2');
        expect(a.replace(MARK, '')).toBe(b);
      } else expect(a, name).toBe(b);
    }
  });

  it('leaves a template\'s own print header alone, and says the table is to be marked 附件2 by hand', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-header-');
    const template = join(tempDir('pack-header-template-'), '带页眉的模板.xlsx');
    const zip = await JSZip.loadAsync(readFileSync(join(REPO, 'templates', 'hsq_2024_wlsc.xlsx')));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const own = '<headerFooter><oddHeader>&amp;R黄山区市场监督管理局</oddHeader><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>';
    expect(sheet).toContain('<headerFooter>');
    zip.file('xl/worksheets/sheet1.xml', sheet.replace(/<headerFooter>.*<\/headerFooter>/, own));
    writeFileSync(template, await zip.generateAsync({ type: 'nodebuffer' }));
    const out = join(tempDir('pack-out-'), 'out');
    const r = runCli(['pack', '--dir', dir, '--template', template, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('统计表“统计表”已有自己的页眉，未在页眉加“附件2”标识；打印报送前请在表的左上角注明“附件2”');
    const packed = await JSZip.loadAsync(readFileSync(join(out, NAME, WORKBOOK)));
    expect((await packed.file('xl/worksheets/sheet1.xml')!.async('string')).match(/<headerFooter>.*<\/headerFooter>/)?.[0]).toBe(own);
  });

  it('gives byte-identical documents and zip for the same inputs and --as-of', () => {
    const first = samplePack();
    expect(first.r.code, first.r.stderr).toBe(0);
    const again = join(tempDir(), 'again');
    expect(runCli(['pack', '--dir', first.dir, '--out', again, ...AS_OF], { env: { TZ: 'America/New_York' } }).code).toBe(0);
    for (const f of [named('专项行动总结（汇总稿）.docx'), named('典型案例汇编.docx'), MANIFEST, WORKBOOK])
      expect(shaOf(join(again, NAME, f)), f).toBe(shaOf(join(first.folder, f)));
    expect(shaOf(join(again, `${NAME}.zip`))).toBe(shaOf(first.zip));
  });

  it('never overwrites a package without --force, and replaces it whole with --force', () => {
    const { dir, out, r, folder, zip } = samplePack();
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(join(folder, '手写的备注.txt'), '前一次的材料包');
    const zipBefore = shaOf(zip);
    const refused = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(existsSync(join(folder, '手写的备注.txt'))).toBe(true);
    expect(shaOf(zip)).toBe(zipBefore);
    const forced = runCli(['pack', '--dir', dir, '--out', out, '--force', ...AS_OF]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(folder, '手写的备注.txt'))).toBe(false); // a new package, not a mix of two
    expect(readdirSync(out).sort()).toEqual([NAME, `${NAME}.zip`]); // no temporary names left
  });

  it('refuses a package inside the submissions folder', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const r = runCli(['pack', '--dir', dir, '--out', join(dir, '材料包'), ...AS_OF]);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, '材料包'))).toBe(false);
  });

  it('with --strict writes nothing while a department is missing', () => {
    const { r, out } = samplePack(['--strict']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('区林业局');
    expect(existsSync(out)).toBe(false);
  });
});

describe('report pack with a template whose structure is protected', () => {
  it('puts the second workbook (the added sheets) in the folder, the manifest and the zip', async () => {
    const { r, folder, zip } = samplePack(['--template', fixture('templates', 'op-table.xlsx')]);
    expect(r.code, r.stderr).toBe(0);
    const second = named('2024网络市场监管专项行动情况统计表（附表）.xlsx');
    const files = filesBelow(folder);
    expect(files).toEqual(expect.arrayContaining([WORKBOOK, second]));
    const manifest = readManifest(folder);
    expect(manifest.files.map((f) => f.path).sort()).toEqual(files.filter((f) => f !== MANIFEST));
    expect(manifest.files.find((f) => f.path === second)?.sha256).toBe(shaOf(join(folder, second)));
    const unzipped = await JSZip.loadAsync(readFileSync(zip));
    expect(Object.values(unzipped.files).filter((e) => !e.dir).map((e) => e.name).sort()).toEqual(files.map((f) => `${NAME}/${f}`));
    expect(sha(Buffer.from(await unzipped.file(`${NAME}/${second}`)!.async('uint8array')))).toBe(shaOf(join(folder, second)));
    expect(r.stdout).toContain('包内 11 个文件');
    // The note names the second workbook where the user finds it, not where it was built.
    expect(r.stderr).toContain(join(folder, second));
    expect(r.stderr).not.toContain('.partial-');
  });
});

describe('report pack with a table title that is no file name', () => {
  it('names the workbook as merge does (file-name safe) and builds the package', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const campaign = join(tempDir('pack-campaign-'), 'campaign.yaml');
    writeFileSync(campaign, readFileSync(join(REPO, 'data', 'campaign.yaml'), 'utf8').replace(/^table_title: .*$/m, 'table_title: 网络市场监管/专项行动:统计表'));
    const out = join(tempDir('pack-out-'), 'out');
    const r = runCli(['pack', '--dir', dir, '--campaign', campaign, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, NAME);
    expect(filesBelow(folder)).toContain(named('网络市场监管_专项行动_统计表.xlsx'));
    expect(readManifest(folder).files.map((f) => f.path)).toContain(named('网络市场监管_专项行动_统计表.xlsx'));
  });
});

describe('report pack refuses what merge refuses', () => {
  it('writes nothing when a present submission does not validate, and shows its diagnostics', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const file = join(dir, '区商务局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^( {2}inspectors:).*$/m, '$1 12人次'));
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/区商务局\.yaml:\d+:\d+ 错误 \[value\/unit-in-number\]/);
    expect(existsSync(out)).toBe(false);
  });

  it('writes nothing when two files claim one department', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    cpSync(join(dir, '区公安分局.yaml'), join(dir, '区公安分局（修改版）.yaml'));
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('区公安分局（修改版）.yaml');
    expect(existsSync(out)).toBe(false);
  });
});

describe('materials', () => {
  it('keeps both of two same-named materials, renaming the second visibly', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    mkdirSync(join(dir, '材料', '其他'));
    writeFileSync(join(dir, '材料', '其他', '检查现场1.png'), 'another picture');
    const file = join(dir, '区市场监管局.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n  - 材料/其他/检查现场1.png\n`);
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('材料/其他/检查现场1.png → 图片视频资料/区市场监管局/检查现场1（2）.png');
    const folder = join(out, NAME);
    expect(readFileSync(join(folder, '图片视频资料/区市场监管局/检查现场1（2）.png'), 'utf8')).toBe('another picture');
    expect(shaOf(join(folder, '图片视频资料/区市场监管局/检查现场1.png'))).toBe(shaOf(join(dir, '材料/区市场监管局/检查现场1.png')));
    expect(readManifest(folder).text).toContain('图片视频资料/区市场监管局/检查现场1（2）.png  ←  区市场监管局报送的 材料/其他/检查现场1.png');
  });

  it('shortens over-long material names by bytes, keeping the extension, also after the （2） rename (issue 25, 14)', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const long = `${'网'.repeat(83)}.jpg`; // 253 bytes: as long as a Linux file name can be; with （2） it could not be written
    const video = `${'inspection-'.repeat(12)}recording.mp4`; // 145 characters: cut to 120, still a video
    for (const sub of ['甲', '乙']) {
      mkdirSync(join(dir, '材料', sub));
      writeFileSync(join(dir, '材料', sub, long), `picture ${sub}`);
    }
    writeFileSync(join(dir, '材料', video), 'video');
    const file = join(dir, '区市场监管局.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n  - 材料/甲/${long}\n  - 材料/乙/${long}\n  - 材料/${video}\n`);
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const names = readdirSync(join(out, NAME, '图片视频资料', '区市场监管局'));
    const pictures = names.filter((n) => n.startsWith('网网')).sort();
    expect(pictures).toHaveLength(2);
    expect(pictures[0]).toMatch(/^网+\.jpg$/);
    expect(pictures[1]).toMatch(/^网+（2）\.jpg$/);
    for (const n of pictures) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(200);
    expect(readFileSync(join(out, NAME, '图片视频资料', '区市场监管局', pictures[1]!), 'utf8')).toBe('picture 乙');
    const cut = names.find((n) => n.startsWith('inspection-'))!;
    expect(cut).toMatch(/\.mp4$/);
    expect(cut.length).toBeLessThanOrEqual(120);
  });

  it('names the material when it cannot be copied', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const out = join(tempDir(), 'out');
    const r = await runCliAsync(['pack', '--dir', dir, '--out', out, ...AS_OF], { nodeArgs: ['--import', STOP], env: { REPORT_TEST_STOP: 'fail-read:检查现场1.png' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('区市场监管局的材料“材料/区市场监管局/检查现场1.png”未能复制到材料包');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('streams a video larger than what is kept in memory into the folder and the zip, stored as it is', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const video = join(dir, '材料', '区公安分局', '现场录像.mp4');
    writeFileSync(video, randomBytes(6 * 1024 ** 2 + 7));
    const file = join(dir, '区公安分局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^materials:\n/m, 'materials:\n  - 材料/区公安分局/现场录像.mp4\n'));
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/图片视频资料：5 个文件，共 6\.1 MB/);
    const copied = join(out, NAME, '图片视频资料/区公安分局/现场录像.mp4');
    expect(shaOf(copied)).toBe(shaOf(video));
    const entry = (await JSZip.loadAsync(readFileSync(join(out, `${NAME}.zip`)))).file(`${NAME}/图片视频资料/区公安分局/现场录像.mp4`)!;
    expect(sha(Buffer.from(await entry.async('uint8array')))).toBe(shaOf(video));
    const raw = readFileSync(join(out, `${NAME}.zip`));
    const at = raw.indexOf(Buffer.from(`${NAME}/图片视频资料/区公安分局/现场录像.mp4`));
    expect(raw.readUInt16LE(at - 30 + 8)).toBe(0); // stored
    expect(readManifest(join(out, NAME)).files.find((f) => f.path.endsWith('现场录像.mp4'))).toEqual({ path: '图片视频资料/区公安分局/现场录像.mp4', size: 6 * 1024 ** 2 + 7, sha256: shaOf(video) });
  });

  it('reports a material over the size limit before copying, lists it in the manifest, and leaves it out', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const video = join(dir, '材料', '区公安分局', '现场录像.mp4');
    writeFileSync(video, '');
    truncateSync(video, 2 * 1024 ** 3 + 1); // sparse: no disk space used
    const file = join(dir, '区公安分局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^materials:\n/m, 'materials:\n  - 材料/区公安分局/现场录像.mp4\n'));
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/区公安分局：材料“材料\/区公安分局\/现场录像\.mp4”有 2\.1 GB，超过单个材料 2 GB 的上限/);
    const folder = join(out, NAME);
    expect(existsSync(join(folder, '图片视频资料/区公安分局/现场录像.mp4'))).toBe(false);
    expect(readManifest(folder).text).toMatch(/三、未收入材料包的材料（1个）\r\n区公安分局 {2}材料\/区公安分局\/现场录像\.mp4 {2}2\.1 GB，超过单个材料2 GB的上限/);
    expect(statSync(video).size).toBe(2 * 1024 ** 3 + 1); // the input is untouched
    const strict = runCli(['pack', '--dir', dir, '--out', join(tempDir(), 'strict'), '--strict', ...AS_OF]);
    expect(strict.code).toBe(1);
  });
});

describe('the 总结 drafted from the sample submissions', () => {
  it('reads as a 总结: figures with 其中公安机关, shares, task coverage, one 曝光 statement, highlighted prompts counted by pack', async () => {
    const { r, folder } = samplePack();
    expect(r.code, r.stderr).toBe(0);
    const paragraphs = await docxParagraphs(join(folder, named('专项行动总结（汇总稿）.docx')));
    // 附件1 of the cover report; its own attachments follow the 落款.
    expect(paragraphs[0]).toMatchObject({ style: 'GwAttachmentHead', text: '附件1' });
    const end = paragraphs.findIndex((p, i) => i > 0 && p.style === 'GwAttachmentHead');
    const main = paragraphs.slice(1, end);
    expect(main.filter((p) => p.style === 'GwH1').map((p) => p.text)).toEqual(['一、基本情况和工作部署', '二、主要做法和成效', '三、典型案例', '四、存在问题', '五、下一步工作打算']);
    expect(main.filter((p) => p.style === 'GwH2').map((p) => p.text)).toEqual(['（一）准入关', '（二）秩序关', '（三）安全关', '（四）质量关', '（五）风险关']);
    const text = main.map((p) => p.text);
    expect(text[4]).toContain('区林业局尚未报送，以下情况和数据不含该单位');
    expect(text.join('')).toContain('立案65件（其中公安机关立案14件）、结案55件（其中公安机关结案11件）');
    expect(text.join('')).toContain('区市场监管局立案48件，占全区73.8%；区公安分局14件，占21.5%');
    expect(text).toContain('34项重点任务中，33项已由各责任单位报送落实情况；第32项（清查非法交易野生动植物）责任单位区林业局未报送材料。');
    expect(text.filter((t) => t.includes('曝光'))).toEqual([
      '专项行动期间，全区曝光典型案例11件。各单位随本次总结报送典型案例10件，其中已曝光5件，5件涉及罚没款共计9.45万元，简要情况如下（全文见《典型案例汇编》）：',
    ]);
    // Prompts: highlighted where only a person can write, listed in the note, counted on the terminal.
    const prompts = main.filter((p) => p.highlighted);
    expect(prompts.map((p) => p.highlighted)).toEqual(prompts.map((p) => p.text));
    expect(prompts).toHaveLength(4);
    expect(main[0]!.style).toBe('GwNote');
    expect(main[0]!.text).toContain('文中黄色标出的4处须由人工填写');
    expect(r.stderr).toContain('还有 5 处须人工填写');
    expect(r.stderr).toContain(`${named('0-报送报告.docx')} 1 处、${named('专项行动总结（汇总稿）.docx')} 4 处`);
    // The task-by-task listing is 附件1, each department's summary 附件2.
    expect(paragraphs.filter((p) => p.style === 'GwAttachmentHead').map((p) => p.text)).toEqual(['附件1', '附件1', '附件2']);
    expect(paragraphs.find((p) => p.text.startsWith('附件：'))?.text).toBe('附件：1.重点任务落实情况');
  });
});

describe('the 典型案例汇编 from the sample submissions', () => {
  it('writes a case with its legal basis and significance as a case, numbered through', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-cases-');
    const file = join(dir, '区公安分局.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /(    result: 警告，罚款1万元\n)/,
        '$1    legal_basis: 违反《中华人民共和国计算机信息网络国际联网安全保护管理办法》第十二条，依据第二十三条\n    significance: 督促网络运营者落实安全保护义务\n',
      ),
    );
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const paragraphs = await docxParagraphs(join(out, NAME, named('典型案例汇编.docx')));
    const heads = paragraphs.filter((p) => p.style === 'GwH2').map((p) => p.text);
    expect(heads.map((h) => h.split('　')[0])).toEqual(['案例一', '案例二', '案例三', '案例四', '案例五', '案例六', '案例七', '案例八', '案例九', '案例十']);
    const at = paragraphs.findIndex((p) => p.text.includes('黄山区某网上商城未履行网络安全保护义务案'));
    expect(paragraphs[at]!.text).toBe('案例五　黄山区某网上商城未履行网络安全保护义务案（区公安分局，2024年10月15日）');
    expect(paragraphs.slice(at + 1, at + 4).map((p) => p.text)).toEqual([
      '基本案情：检查发现某本地网上商城未落实计算机信息网络国际联网备案，未采取防范数据泄露等技术措施，经责令改正后逾期未改正。',
      '查处情况：违反《中华人民共和国计算机信息网络国际联网安全保护管理办法》第十二条，依据第二十三条。警告，罚款1万元。',
      '典型意义：督促网络运营者落实安全保护义务。',
    ]);
    const all = paragraphs.map((p) => p.text).join('');
    expect(all).not.toMatch(/未填写|是否曝光/);
  });
});

describe('a 总结 written in Word', () => {
  const withDocx = (docx: string) => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-docx-');
    cpSync(fixture('summary-docx', docx), join(dir, docx));
    const yaml = join(dir, '区商务局.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('summary_file: 区商务局总结.txt', `summary_file: ${docx}`));
    return dir;
  };

  it('is read for the draft and put in the package unchanged', async () => {
    const dir = withDocx('区商务局总结.docx');
    expect(runCli(['validate', join(dir, '区商务局.yaml')]).code).toBe(0);
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, NAME);
    const copy = join(folder, '各单位总结/区商务局/区商务局总结.docx');
    expect(shaOf(copy)).toBe(shaOf(join(dir, '区商务局总结.docx')));
    expect(readManifest(folder).sources.find((s) => s.path === '区商务局总结.docx')?.sha256).toBe(shaOf(copy));
    const draft = (await docxParagraphs(join(folder, named('专项行动总结（汇总稿）.docx')))).map((p) => p.text);
    expect(draft).toContain('一是完成辖区2家拍卖企业许可年审，抽查网络拍卖活动3场；二是核查商业特许经营备案企业5家，督促删除夸大加盟收益宣传信息；三是会同区市场监管局督查餐饮企业31家。形成“年审+抽查”网络拍卖监管做法1项，制定《黄山区网络拍卖活动监管工作细则》1项。下一步将继续强化部门协作，促进电子商务健康发展。');
    expect(filesBelow(folder).filter((f) => f.startsWith('图片视频资料/区商务局'))).toEqual([]); // not a picture
  });

  it('named in the fill-in workbook (总结文件, made by openpyxl) is read and packed with the department\'s own package', async () => {
    const dir = tempCopy(fixture('summary-docx'), 'pack-docx-xlsx-');
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', join(dir, '区商务局.xlsx'), '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, `${NAME}（区商务局）`);
    expect(shaOf(join(folder, '各单位总结/区商务局/区商务局总结.docx'))).toBe(shaOf(join(dir, '区商务局总结.docx')));
    const summary = (await docxParagraphs(join(folder, named('专项行动总结.docx', COMMERCE)))).map((p) => p.text);
    expect(summary).toContain('黄山区商务局2024网络市场监管促发展保安全专项行动工作总结');
    expect(summary.at(-2)).toBe('黄山区商务局');
  });

  it('takes the 说明 typed beside a picture in the fill-in workbook into the list of pictures', async () => {
    const dir = tempCopy(fixture('summary-docx'), 'pack-caption-');
    const out = join(tempDir(), 'out');
    expect(runCli(['pack', join(dir, '区商务局.xlsx'), '--out', out, ...AS_OF]).code).toBe(0);
    const list = (await docxParagraphs(join(out, `${NAME}（区商务局）`, named('图片视频资料目录.docx', COMMERCE)))).map((p) => p.text);
    expect(list).toContain('1.督查现场.png：2024年9月12日，区商务局会同区市场监管局督查网红餐厅。');
  });

  it('takes YAML captions (captions: file → 说明) into the list; a picture without one is listed by name', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-caption-yaml-');
    const yaml = join(dir, '区市场监管局.yaml');
    writeFileSync(yaml, `${readFileSync(yaml, 'utf8')}\ncaptions:\n  材料/区市场监管局/检查现场1.png: 2024年8月20日，执法人员在某电动车行检查网售充电器\n`);
    expect(runCli(['validate', yaml]).code).toBe(0);
    const out = join(tempDir(), 'out');
    expect(runCli(['pack', '--dir', dir, '--out', out, ...AS_OF]).code).toBe(0);
    const list = (await docxParagraphs(join(out, NAME, named('图片视频资料目录.docx')))).map((p) => p.text);
    expect(list).toEqual(expect.arrayContaining(['1.检查现场1.png：2024年8月20日，执法人员在某电动车行检查网售充电器。', '2.检查现场2.png']));
  });

  it('that is no Word file is an error at summary_file, in words', () => {
    const dir = withDocx('损坏的总结.docx');
    const r = runCli(['validate', join(dir, '区商务局.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/区商务局\.yaml:\d+:\d+ 错误 \[summary-file\/not-docx\] 总结文件“损坏的总结\.docx”不是有效的 Word 文件（\.docx）/);
  });
});

describe('a city packing its districts\' merged tables', () => {
  it('keeps the department that reported each case down there: 黄山区（区文旅体局）, in the 汇编 and the 典型案例 sheet', async () => {
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', '--campaign', join(REPO, 'data/examples/city-rollup/campaign.yaml'), '--dir', join(REPO, 'data/examples/city-rollup/submissions'), '--out', out, '--as-of', '2024-11-18T09:00']);
    expect(r.code, r.stderr).toBe(0);
    const [folder] = readdirSync(out).filter((f) => !f.endsWith('.zip')).map((f) => join(out, f));
    const heads = (await docxParagraphs(join(folder!, named('典型案例汇编.docx', '黄山市市场监督管理局')))).filter((p) => p.style === 'GwH2').map((p) => p.text);
    expect(heads[0]).toBe('案例一　黄山某某文化传媒有限公司未经许可经营旅行社业务案（黄山区（区文旅体局），2024年7月23日）');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder!, readdirSync(folder!).find((f) => f.endsWith('.xlsx'))!));
    const sheet = wb.worksheets.find((w) => w.name.startsWith('典型案例'))!;
    // 单位 names the path down to the unit that reported it, which a province reads back in turn.
    expect(sheet.getRow(2).getCell(2).value).toBe('单位');
    expect(sheet.getRow(3).getCell(2).value).toBe('黄山区／区文旅体局');
  });
});

describe('the cover report and the attachments', () => {
  it("lists 附件1–4, each the name of a file of the package that carries that mark, with the lead's contact and 落款", async () => {
    const { r, folder } = samplePack();
    expect(r.code, r.stderr).toBe(0);
    const cover = await docxParagraphs(join(folder, named('0-报送报告.docx')));
    const text = cover.map((p) => p.text);
    expect(text[0]).toBe('关于报送黄山区2024网络市场监管促发展保安全专项行动工作总结及相关材料的报告');
    expect(cover[2]).toMatchObject({ style: 'GwPlain', text: '【待补充：上级机关名称】：', highlighted: '【待补充：上级机关名称】' });
    expect(text.some((t) => t.endsWith('请审阅。区林业局尚未报送材料，待报送后另行补报。'))).toBe(true);
    const start = text.findIndex((t) => t.startsWith('附件：'));
    const items = text.slice(start, start + 4).map((t) => t.replace(/^附件：/, ''));
    expect(items).toEqual([
      '1.黄山区2024网络市场监管促发展保安全专项行动工作总结',
      '2.2024网络市场监管专项行动情况统计表',
      '3.黄山区2024网络市场监管促发展保安全专项行动典型案例汇编',
      '4.黄山区2024网络市场监管促发展保安全专项行动图片视频资料目录',
    ]);
    expect(text.slice(start + 5, start + 8)).toEqual(['黄山区市场监督管理局', '2024年11月15日', '（联系人：赵志刚，电话：18955952972）']);
    // Each attachment: the file is there and, for the Word ones, begins with its mark and carries its name.
    expect(existsSync(join(folder, WORKBOOK))).toBe(true);
    for (const [file, n, title] of [
      [named('专项行动总结（汇总稿）.docx'), 1, '工作总结'],
      [named('典型案例汇编.docx'), 3, '典型案例汇编'],
      [named('图片视频资料目录.docx'), 4, '图片视频资料目录'],
    ] as const) {
      const paragraphs = await docxParagraphs(join(folder, file));
      expect(paragraphs[0], file).toMatchObject({ style: 'GwAttachmentHead', text: `附件${n}` });
      expect(paragraphs.find((p) => p.style === 'GwTitle')?.text, file).toBe(`黄山区2024网络市场监管促发展保安全专项行动${title}`);
    }
    const list = (await docxParagraphs(join(folder, named('图片视频资料目录.docx')))).map((p) => p.text);
    expect(list).toEqual(expect.arrayContaining(['区市场监管局', '1.检查现场1.png', '区公安分局', '4.收缴管制器具.png']));
  });

  it("a department's is to its superior and copied to the lead unit, with its own contact; --seal lays the 落款 out for a seal", async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-own-');
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', join(dir, '区公安分局.yaml'), '--out', out, '--seal', ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const cover = await docxParagraphs(join(out, `${NAME}（区公安分局）`, named('0-报送报告.docx', POLICE)));
    const text = cover.map((p) => p.text);
    expect(text[2]).toBe('【待补充：上级主管部门名称】：');
    expect(text.at(-1)).toBe('抄送：黄山区市场监督管理局。');
    expect(text).toContain('（联系人：陈浩然，电话：13955966535）');
    // With a seal: a line of room above the 署名, which is centred over the date set four characters in.
    const at = text.indexOf('黄山市公安局黄山分局');
    expect(text.slice(at - 2, at + 2)).toEqual(['', '', '黄山市公安局黄山分局', '2024年11月10日']);
  });
});

describe("a department's own package", () => {
  it('packs one submission: its one-row table, its summary and cases as documents, its materials', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-own-');
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', join(dir, '区公安分局.yaml'), '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, `${NAME}（区公安分局）`);
    expect(filesBelow(folder)).toEqual(
      [named(TABLE, POLICE), named('0-报送报告.docx', POLICE), named('专项行动总结.docx', POLICE), named('典型案例汇编.docx', POLICE), named('图片视频资料目录.docx', POLICE), '图片视频资料/区公安分局/收缴管制器具.png', '图片视频资料/区公安分局/案件研判会.png', named('报送清单.txt', POLICE)].sort(),
    );
    expect(existsSync(`${folder}.zip`)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder, named(TABLE, POLICE)));
    const names: string[] = [];
    wb.getWorksheet('统计表')!.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && /^区/.test(cell.value) && names.push(cell.value)));
    expect(names).toEqual(['区公安分局']);
    const manifest = readManifest(folder, POLICE);
    expect(manifest.sources).toEqual([expect.objectContaining({ department: '区公安分局', sha256: shaOf(join(dir, '区公安分局.yaml')) })]);
    const summary = await JSZip.loadAsync(readFileSync(join(folder, named('专项行动总结.docx', POLICE))));
    const xml = await summary.file('word/document.xml')!.async('string');
    expect(xml).toContain('区公安分局'); // signed by the department
    expect(xml).not.toContain('汇总稿');
  });

  it("is the department's throughout: its full name after 填报单位, its people from its file, signed and listed as it", async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-own-');
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', join(dir, '区公安分局.yaml'), '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(out, `${NAME}（区公安分局）`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(folder, named(TABLE, POLICE)));
    const cells: string[] = [];
    wb.getWorksheet('统计表')!.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && cells.push(cell.value)));
    expect(cells).toContain('填报单位（盖章）：黄山市公安局黄山分局');
    // 单位负责人 is left for the signature by hand: the file does not name one.
    expect(cells.find((c) => c.startsWith('单位负责人'))).toMatch(/^单位负责人：[\s\u3000]+填表人：陈浩然[\s\u3000]+审核人：郑卫东[\s\u3000]+联系电话：13955966535$/);
    expect(cells.join('')).not.toContain('市场监督管理局');
    const manifest = readManifest(folder, POLICE).text;
    expect(manifest).toContain('填报单位：黄山市公安局黄山分局');
    expect(manifest).not.toContain('汇总单位');
    const summary = await docxParagraphs(join(folder, named('专项行动总结.docx', POLICE)));
    expect(summary.map((p) => p.text)).toContain('黄山市公安局黄山分局');
    expect(summary.map((p) => p.text).join('')).not.toContain('市场监督管理局');
  });

  it('prints the 单位负责人 typed in the fill-in workbook after 单位负责人： under its own table', async () => {
    const dir = tempDir('pack-leader-');
    expect(runCli(['init', '区商务局', '--format', 'xlsx', '--out', dir]).code).toBe(0);
    const file = join(dir, '区商务局.xlsx');
    const form = new ExcelJS.Workbook();
    await form.xlsx.readFile(file);
    const basic = form.getWorksheet('基本信息')!;
    // Filled as a clerk fills it: the value beside each label, wherever that label is.
    const filled: Record<string, string> = { 填表人: '周敏', 审核人: '吴刚', 联系电话: '0559-8512345', 单位负责人: '王强' };
    let found = 0;
    basic.eachRow((row) => {
      const value = filled[String(row.getCell(1).value ?? '')];
      if (value === undefined) return;
      row.getCell(2).value = value;
      found++;
    });
    expect(found).toBe(4);
    form.getWorksheet('统计表')!.getCell('B5').value = 3;
    await form.xlsx.writeFile(file);
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', file, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, `${NAME}（区商务局）`, named(TABLE, COMMERCE)));
    const cells: string[] = [];
    wb.getWorksheet('统计表')!.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && cells.push(cell.value)));
    expect(cells.find((c) => c.startsWith('单位负责人'))).toMatch(/^单位负责人：王强[\s\u3000]+填表人：周敏[\s\u3000]+审核人：吴刚[\s\u3000]+联系电话：0559-8512345$/);
  });

  it('reads 单位负责人 as leader: from a YAML file; the key typed in Chinese is pointed to leader at its line', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-leader-yaml-');
    const yaml = join(dir, '区公安分局.yaml');
    writeFileSync(yaml, `${readFileSync(yaml, 'utf8')}\nleader: 刘建国\n`);
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', yaml, '--out', out, ...AS_OF]);
    expect(r.code, r.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, `${NAME}（区公安分局）`, named(TABLE, POLICE)));
    const cells: string[] = [];
    wb.getWorksheet('统计表')!.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && cells.push(cell.value)));
    expect(cells.find((c) => c.startsWith('单位负责人'))).toMatch(/^单位负责人：刘建国[\s\u3000]+填表人：陈浩然/);
    const wrong = join(dir, '区商务局.yaml');
    writeFileSync(wrong, `${readFileSync(wrong, 'utf8')}\n单位负责人: 刘建国\n`);
    const told = runCli(['validate', wrong]);
    expect(told.code).toBe(1);
    expect(told.stdout).toMatch(/区商务局\.yaml:\d+:1 错误 \[schema\/unknown-key\] 未知的项目“单位负责人”，是否想写“leader”？/);
  });

  it('refuses a submission with errors, showing them', () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-own-');
    const file = join(dir, '区公安分局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^( {2}inspectors:).*$/m, '$1 十二'));
    const out = join(tempDir(), 'out');
    const r = runCli(['pack', file, '--out', out, ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/区公安分局\.yaml:\d+:\d+ 错误/);
    expect(r.stderr).toContain('未生成材料包');
    expect(existsSync(out)).toBe(false);
  });

  it('names a file that does not exist', () => {
    const r = runCli(['pack', join(tempDir(), '没有这个文件.yaml'), '--out', join(tempDir(), 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有这个文件.yaml');
  });
});

describe('an interrupted pack', () => {
  /** A package built once, to be replaced by an interrupted run. */
  function previous() {
    const built = samplePack();
    expect(built.r.code, built.r.stderr).toBe(0);
    return { ...built, manifest: shaOf(join(built.folder, MANIFEST)), zipSha: shaOf(built.zip) };
  }
  const stopped = (p: { dir: string; out: string }, how: string) =>
    runCliAsync(['pack', '--dir', p.dir, '--out', p.out, '--force', '--as-of', '2024-11-16T09:00+08:00'], { nodeArgs: ['--import', STOP], env: { REPORT_TEST_STOP: how } });

  it('by Ctrl-C leaves the previous package whole and no half-built folder', async () => {
    const p = previous();
    const r = await stopped(p, 'interrupt');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('已中断');
    expect(readdirSync(p.out).sort()).toEqual([NAME, `${NAME}.zip`]);
    expect(shaOf(join(p.folder, MANIFEST))).toBe(p.manifest);
    expect(shaOf(p.zip)).toBe(p.zipSha);
  });

  it('by a power cut just before the swap leaves the previous package whole; the next run tidies up', async () => {
    const p = previous();
    const r = await stopped(p, 'kill:1');
    expect(r.signal).toBe('SIGKILL');
    expect(shaOf(join(p.folder, MANIFEST))).toBe(p.manifest);
    expect(shaOf(p.zip)).toBe(p.zipSha);
    expect(readdirSync(p.out).filter((f) => f.includes('.partial-')).length).toBeGreaterThan(0); // hidden, for the next run
    const next = runCli(['pack', '--dir', p.dir, '--out', p.out, ...AS_OF]);
    expect(next.code).toBe(2); // exists, no --force
    expect(readdirSync(p.out).sort()).toEqual([NAME, `${NAME}.zip`]);
  });

  it('by a power cut in the middle of the swap: the next run puts the previous package back', async () => {
    const p = previous();
    const r = await stopped(p, 'kill:2');
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(p.zip)).toBe(false); // moved aside for the swap
    const next = runCli(['pack', '--dir', p.dir, '--out', p.out, ...AS_OF]);
    expect(next.code).toBe(2);
    expect(shaOf(join(p.folder, MANIFEST))).toBe(p.manifest);
    expect(readdirSync(p.out).sort()).toEqual([NAME, `${NAME}.zip`]);
  });

  it('by a power cut once the new zip is in place but not yet the folder: the next run takes it out and puts both old ones back', async () => {
    const p = previous();
    const r = await stopped(p, 'kill:4');
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(p.folder)).toBe(false);
    expect(shaOf(p.zip)).not.toBe(p.zipSha); // the new zip, beside no folder
    const next = runCli(['pack', '--dir', p.dir, '--out', p.out, ...AS_OF]);
    expect(next.code).toBe(2);
    expect(readdirSync(p.out).sort()).toEqual([NAME, `${NAME}.zip`]);
    expect(shaOf(join(p.folder, MANIFEST))).toBe(p.manifest);
    expect(shaOf(p.zip)).toBe(p.zipSha);
  });
});

/** The 报送清单 as the zip holds it. */
async function zipManifest(zip: string): Promise<string> {
  const archive = await JSZip.loadAsync(readFileSync(zip));
  return archive.file(`${NAME}/${MANIFEST}`)!.async('string');
}

describe('pack under contention (issue 25, 12–13)', () => {
  const run = (p: { dir: string; out: string }, extra: string[], stop: string) =>
    runCliAsync(['pack', '--dir', p.dir, '--out', p.out, ...extra], { nodeArgs: ['--import', STOP], env: { REPORT_TEST_STOP: stop } });

  it('two runs to one --out at once without --force: one writes the package, the other refuses as merge does', async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS, 'pack-');
    const out = join(tempDir('pack-out-'), 'out');
    const barrier = tempDir('pack-barrier-');
    // Both have built their package (so both found no package there) before either puts it in place.
    const [a, b] = await Promise.all([
      run({ dir, out }, ['--as-of', '2024-11-15T09:00+08:00'], `barrier:${barrier}`),
      run({ dir, out }, ['--as-of', '2024-11-16T09:00+08:00'], `barrier:${barrier}`),
    ]);
    expect(readdirSync(barrier)).toHaveLength(2); // the race really happened
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).toContain('已存在');
    expect(loser.stderr).toContain('--force');
    expect(readdirSync(out).sort()).toEqual([NAME, `${NAME}.zip`]); // nothing half-placed, nothing hidden left
    // Folder and zip are the one run's package.
    expect(await zipManifest(join(out, `${NAME}.zip`))).toBe(readFileSync(join(out, NAME, MANIFEST), 'utf8'));
  });

  it('--force when the old zip cannot be replaced (open in another program): the previous package stays whole, the zip is named', async () => {
    const built = samplePack();
    expect(built.r.code, built.r.stderr).toBe(0);
    const manifest = shaOf(join(built.folder, MANIFEST));
    const zipSha = shaOf(built.zip);
    const r = await run(built, ['--force', '--as-of', '2024-11-16T09:00+08:00'], 'busy-zip');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${NAME}.zip`);
    expect(r.stderr).toContain('保持不变');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack
    expect(readdirSync(built.out).sort()).toEqual([NAME, `${NAME}.zip`]); // no hidden .old- copy left
    expect(shaOf(join(built.folder, MANIFEST))).toBe(manifest);
    expect(shaOf(built.zip)).toBe(zipSha);
  });
});
