/**
 * `report serve` in a real browser (Debian's chromium, driven by playwright-core): a department
 * uploads a workbook with a unit typed into a number, sees the finding at its cell, uploads the
 * fixed file and gets a receipt; the bureau's page shows it as 已报送; what must be refused is.
 * With REPORT_SCREENSHOTS=docs the two pages are saved as docs/serve-*.png (the README's pictures).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import type { BrowserContext } from 'playwright-core';
import { fixture, REPO } from './helpers/paths.js';
import { requireTool } from './helpers/tools.js';
import { serveFolder, startServe, type Running } from './helpers/serve.js';

const skip = requireTool('chromium');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const shots = process.env.REPORT_SCREENSHOTS ? join(REPO, process.env.REPORT_SCREENSHOTS) : undefined;

describe.skipIf(skip)('report serve in a browser', () => {
  let running: Running;
  let browser: BrowserContext;
  let elsewhere: Server;
  let folder: string;

  beforeAll(async () => {
    const { root, dir } = serveFolder();
    folder = dir;
    running = await startServe(root, ['--contact', '张敏 0559-2345678']);
    const { chromium } = await import('playwright-core');
    // A fresh profile each run (the --user-data-dir playwright passes).
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'report-chromium-')), { executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, viewport: { width: 1100, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    elsewhere?.close();
  });

  it('a department sees the finding at its cell, then uploads the fixed file and gets a receipt; the bureau sees 已报送', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(running.base)) outside.push(r.url());
    });
    await page.goto(running.links.get('区林业局')!);
    await expect(page.locator('h1').textContent()).resolves.toBe('区林业局');
    await expect(page.locator('body').textContent()).resolves.toContain('张敏 0559-2345678');
    await expect(page.locator('#left').textContent()).resolves.toMatch(/已逾期|还剩/);

    await page.setInputFiles('#submission', fixture('workbooks', 'xlsx-unit-in-number', '区林业局.xlsx'));
    await page.click('#send-submission');
    await page.locator('#findings').waitFor({ state: 'visible' });
    await expect(page.locator('#findings').textContent()).resolves.toContain('统计表!C5 错误 [value/unit-in-number] “检查网站平台网店”里多了单位或文字');
    await expect(page.locator('#say-submission').textContent()).resolves.toContain('这次上传不算报送');

    await page.setInputFiles('#submission', fixture('workbooks', 'xlsx-ok', '区林业局.xlsx'));
    await page.click('#send-submission');
    await page.locator('#receipt').waitFor();
    await expect(page.locator('#receipt').textContent()).resolves.toMatch(/收到 区林业局\.xlsx（.+），SHA-256：[0-9a-f]{64}/);
    await expect(page.locator('#figures').textContent()).resolves.toContain('出动执法人员（人次）');
    await page.locator('#versions tr').nth(1).waitFor();
    await expect(page.locator('#versions').textContent()).resolves.toContain('有错误，未计入');
    // A Word file sent as a material is the department's 总结: the page says to name it as 总结文件.
    await page.setInputFiles('#material', fixture('summary-docx', '区商务局总结.docx'));
    await page.click('#send-material');
    await page.locator('#say-material .ok').waitFor();
    await expect(page.locator('#say-material').textContent()).resolves.toContain('已保存总结 区商务局总结.docx。请在填报表“基本信息”表的“总结文件”一格填写：材料/区林业局/区商务局总结.docx');
    expect(outside).toEqual([]);
    if (shots) await page.screenshot({ path: join(shots, 'serve-department.png'), fullPage: true });

    const bureau = await browser.newPage();
    await bureau.goto(running.bureau);
    await bureau.locator('#row-forestry').waitFor();
    await expect(bureau.locator('#row-forestry').textContent()).resolves.toContain('已报送');
    if (shots) await bureau.screenshot({ path: join(shots, 'serve-bureau.png'), fullPage: true });
  }, 60_000);

  it('the bureau clicks 生成整套材料 and downloads the package it made', async () => {
    const page = await browser.newPage();
    await page.goto(running.bureau);
    await page.click('#run-pack');
    const zip = page.locator('#run-downloads a', { hasText: '.zip' });
    await zip.waitFor({ timeout: 150_000 });
    await expect(page.locator('#run-say').textContent()).resolves.toBe('已生成：');
    const [download] = await Promise.all([page.waitForEvent('download'), zip.click()]);
    expect(download.suggestedFilename()).toMatch(/专项行动\.zip$/);
    const names = Object.keys((await JSZip.loadAsync(readFileSync(await download.path()))).files);
    // The package as `report pack` makes it: the table, the documents, the manifest, and the 总结 the department sent.
    expect(names.some((n) => n.endsWith('报送清单.txt'))).toBe(true);
    expect(names.some((n) => n.endsWith('统计表.xlsx'))).toBe(true);
    expect(names.some((n) => n.endsWith('专项行动总结（汇总稿）.docx'))).toBe(true);
  }, 180_000);

  it('refuses an oversized file, with the reason on the page', async () => {
    const page = await browser.newPage();
    await page.goto(running.links.get('区林业局')!);
    const big = join(mkdtempSync(join(tmpdir(), 'report-big-')), '区林业局.xlsx');
    writeFileSync(big, Buffer.alloc(21 * 1024 * 1024, 0x50));
    await page.setInputFiles('#submission', big);
    await page.click('#send-submission');
    await page.locator('#say-submission .bad').waitFor();
    await expect(page.locator('#say-submission').textContent()).resolves.toContain('超过了这类文件 20 MB 的上限');
  }, 60_000);

  it("refuses another department's file and a form posted from another site", async () => {
    const page = await browser.newPage();
    // The forestry token under the commerce id, and a version number that is commerce's.
    const forestry = running.links.get('区林业局')!;
    expect((await page.goto(forestry.replace('/forestry/', '/commerce/')))!.status()).toBe(403);
    expect((await page.goto(`${forestry}/file/99`))!.status()).toBe(404);

    elsewhere = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<form method="post" enctype="multipart/form-data" action="${forestry}/upload"><input type="file" name="file"><button>go</button></form>`);
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', () => r()));
    const port = (elsewhere.address() as { port: number }).port;
    // Another origin (localhost vs 127.0.0.1, another port): a cross-site form post.
    await page.goto(`http://localhost:${port}/`);
    await page.setInputFiles('input[type=file]', fixture('workbooks', 'xlsx-ok', '区林业局.xlsx'));
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/upload')), page.click('button')]);
    expect(response.status()).toBe(403);
    await expect(page.locator('body').textContent()).resolves.toContain('请求不是从本单位的报送页面发出的');
    void folder;
  }, 60_000);
});
