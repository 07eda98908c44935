/**
 * `report serve` over HTTP, as browsers and scripts reach it: uploads checked at once, versions
 * kept where status/merge/pack do not look, links that open only their own department's files,
 * and what is refused. The browser itself is in serve-browser.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, type StatusJson } from './helpers/exec.js';
import { docxParagraphs } from './helpers/docx.js';
import { fixture, REPO } from './helpers/paths.js';
import { csrfOf, freePort, serveFolder, startServe, upload, type Running } from './helpers/serve.js';

const BAD = readFileSync(fixture('workbooks', 'xlsx-unit-in-number', '区林业局.xlsx'));
const GOOD = readFileSync(fixture('workbooks', 'xlsx-ok', '区林业局.xlsx'));

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Names in the submissions folder that status, merge and pack see (hidden ones excepted). */
const visible = (dir: string) => readdirSync(dir).filter((n) => !n.startsWith('.')).sort();

describe('report serve', () => {
  it('prints one link per department and the bureau, writes them to a file, and keeps only digests of the tokens', async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root);
    expect(running.links.size).toBe(7);
    // The department's fill-in workbook, as `report init --format xlsx` writes it.
    const blank = await fetch(`${running.links.get('区林业局')!}/fill-in.xlsx`);
    expect(blank.status).toBe(200);
    expect(blank.headers.get('content-disposition')).toContain(encodeURIComponent('区林业局.xlsx'));
    expect(Buffer.from(await blank.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    expect(running.output()).toContain('现在只有本机能打开');
    const file = readdirSync(root).find((n) => n.startsWith('报送链接-'))!;
    expect(readFileSync(join(root, file), 'utf8')).toContain(running.links.get('区林业局'));
    expect(statSync(join(root, file)).mode & 0o777).toBe(0o600);
    const tokens = readFileSync(join(dir, '.report-serve', 'tokens.json'), 'utf8');
    const token = running.links.get('区林业局')!.split('/').pop()!;
    expect(tokens).not.toContain(token);
    // A wrong token, or a right one under another department's id, opens nothing.
    expect((await fetch(running.links.get('区林业局')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(403);
    expect((await fetch(running.links.get('区林业局')!.replace('/forestry/', '/market/'))).status).toBe(403);
  });

  it('checks an upload at once: a unit in a number is shown at its cell and not counted; the fixed file is accepted with a receipt; every version is kept', async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root);
    const link = running.links.get('区林业局')!;
    const bad = await upload(link, '区林业局.xlsx', BAD);
    expect(bad.status).toBe(200);
    expect(bad.body.version.state).toBe('rejected');
    expect(bad.body.findings).toContain('统计表!C5 错误 [value/unit-in-number]');
    expect(visible(dir)).not.toContain('区林业局.xlsx');
    expect(runCliJson<StatusJson>(['status', '--dir', dir, '--json']).json.departments.find((d) => d.name === '区林业局')?.state).toBe('missing');

    const good = await upload(link, '区林业局.xlsx', GOOD);
    expect(good.body.version.state).toBe('accepted');
    expect(good.body.version.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(good.body.version.figures.inspectors).toEqual(expect.any(Number));
    expect(readFileSync(join(dir, '区林业局.xlsx')).equals(GOOD)).toBe(true);
    const status = runCli(['status', '--dir', dir]);
    expect(status.stdout).toMatch(/区林业局\s*│\s*已报送/);
    // Both versions are kept and listed; the CLI sees only the current one.
    const state = await (await fetch(`${link}/state`)).json();
    expect(state.versions.map((v: { state: string }) => v.state)).toEqual(['rejected', 'accepted']);
    expect((await fetch(`${link}/file/1`)).status).toBe(200);
    const merged = runCli(['merge', '--dir', dir, '--out', join(root, 'out.xlsx')]);
    expect(merged.code).toBe(0);
  });

  it('a department link cannot read another department\'s file', async () => {
    const { root } = serveFolder();
    running = await startServe(root);
    expect((await upload(running.links.get('区商务局')!, '区林业局.xlsx', GOOD)).body.version.state).toBe('rejected');
    // The forestry link asks for version 1, which exists only for commerce.
    expect((await fetch(`${running.links.get('区林业局')!}/file/1`)).status).toBe(404);
    expect((await fetch(`${running.links.get('区商务局')!}/file/1`)).status).toBe(200);
    // Commerce's link cannot upload as commerce a workbook filled in for forestry.
    const state = await (await fetch(`${running.links.get('区商务局')!}/state`)).json();
    expect(state.versions[0].diagnostics.map((d: { code: string }) => d.code)).toContain('serve/other-department');
  });

  it('refuses a path in a file name, a file whose content is not what its name says, an oversized file and an unknown kind', async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root);
    const link = running.links.get('区林业局')!;
    const before = visible(dir);
    for (const name of ['../区林业局.xlsx', '..\\..\\x.xlsx', 'a/b.xlsx', '.hidden.xlsx']) {
      const r = await upload(link, name, GOOD);
      expect(r.status, name).toBe(400);
      expect(r.body.error).toContain('文件名中不能带路径');
    }
    const png = await upload(link, '区林业局.xlsx', Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1'));
    expect(png.status).toBe(415);
    expect(png.body.error).toContain('内容不是Excel 工作簿');
    const big = await upload(link, '区林业局.yaml', `department: 区林业局\n# ${'x'.repeat(3 * 1024 * 1024)}\n`);
    expect(big.status).toBe(413);
    expect(big.body.error).toContain('上限');
    expect((await upload(link, '说明.exe', 'MZ')).status).toBe(415);
    expect(visible(dir)).toEqual(before);
    expect(readdirSync(join(dir, '.report-serve', 'partial'))).toEqual([]);
    expect(existsSync(join(dir, '.report-serve', 'versions', 'forestry'))).toBe(false);
  });

  it('refuses a cross-site form post and an upload without the page\'s token', async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root);
    const link = running.links.get('区林业局')!;
    const form = new FormData();
    form.append('file', new Blob([GOOD]), '区林业局.xlsx');
    const crossSite = await fetch(`${link}/upload`, { method: 'POST', body: form, headers: { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const withTokenFromElsewhere = await upload(link, '区林业局.xlsx', GOOD, { 'X-Report-CSRF': await csrfOf(running.links.get('区商务局')!) });
    expect(withTokenFromElsewhere.status).toBe(403);
    const rightTokenWrongOrigin = await upload(link, '区林业局.xlsx', GOOD, { Origin: 'http://evil.example' });
    expect(rightTokenWrongOrigin.status).toBe(403);
    expect(visible(dir)).not.toContain('区林业局.xlsx');
  });

  it('materials go under 材料/<单位>/ and the page says what to write in the workbook', async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1000)]);
    const r = await upload(running.links.get('区林业局')!, '检查现场.jpg', jpeg);
    expect(r.body.version).toMatchObject({ kind: 'material', published: '材料/区林业局/检查现场.jpg' });
    expect(readFileSync(join(dir, '材料', '区林业局', '检查现场.jpg')).equals(jpeg)).toBe(true);
    // A material in its folder is no stray file for merge.
    expect(runCli(['status', '--dir', dir]).stdout).not.toContain('检查现场');
  });

  it('two uploads of one department at once: one current file, both versions kept', async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root);
    const link = running.links.get('区林业局')!;
    const other = Buffer.from(readFileSync(join(dir, '区市场监管局.yaml'), 'utf8').replace(/^department: .*$/m, 'department: 区林业局'));
    const [a, b] = await Promise.all([upload(link, '区林业局.xlsx', GOOD), upload(link, '区林业局.yaml', other)]);
    expect([a.body.version.state, b.body.version.state].sort()).toEqual(['accepted', 'accepted']);
    const current = visible(dir).filter((n) => n.startsWith('区林业局'));
    expect(current).toHaveLength(1);
    const last = [a.body.version, b.body.version].sort((x, y) => y.seq - x.seq)[0];
    expect(current[0]).toBe(last.published);
    expect(readdirSync(join(dir, '.report-serve', 'versions', 'forestry')).filter((n) => /^\d+\.(xlsx|yaml)$/.test(n))).toHaveLength(2);
    expect(runCliJson<StatusJson>(['status', '--dir', dir, '--json']).json.departments.find((d) => d.name === '区林业局')?.state).toBe('submitted');
  });

  it('a link revoked stops working; a reissued one works and the old one does not', async () => {
    const { root } = serveFolder();
    const port = String(await freePort());
    running = await startServe(root, ['--port', port]);
    const old = running.links.get('区林业局')!;
    const oldCommerce = running.links.get('区商务局')!;
    await running.stop();
    running = await startServe(root, ['--port', port, '--reissue', '区林业局', '--revoke', '区商务局']);
    expect(running.links.size).toBe(1);
    expect(running.output()).toContain('已停用链接：区商务局');
    expect((await fetch(old)).status).toBe(403);
    expect((await fetch(oldCommerce)).status).toBe(403);
    expect((await fetch(running.links.get('区林业局')!)).status).toBe(200);
  });

  it('refuses a bad port, an --out inside the folder and a certificate without a key', () => {
    const { root } = serveFolder();
    expect(runCli(['serve', '--dir', 'sub', '--port', 'x'], { cwd: root }).stderr).toContain('端口“x”不对');
    expect(runCli(['serve', '--dir', 'sub', '--out', 'sub/out'], { cwd: root }).stderr).toContain('--out 不能在报送文件夹之内');
    expect(runCli(['serve', '--dir', 'sub', '--cert', 'a.pem'], { cwd: root }).code).toBe(2);
    writeFileSync(join(root, 'bad.pem'), 'not a certificate');
    const bad = runCli(['serve', '--dir', 'sub', '--cert', 'bad.pem', '--key', 'bad.pem'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('证书或私钥不对');
  });

  it('a server killed mid-upload leaves nothing counted and no half file; a restart carries on with what was acknowledged', async () => {
    const { root, dir } = serveFolder();
    const port = String(await freePort());
    running = await startServe(root, ['--port', port]);
    const link = running.links.get('区林业局')!;
    expect((await upload(link, '区林业局.xlsx', GOOD)).body.version.state).toBe('accepted');
    const csrf = await csrfOf(link);
    // A video sent slowly; the server is killed while it arrives.
    const boundary = 'xyzBOUNDARY';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="现场.mp4"\r\nContent-Type: video/mp4\r\n\r\n`;
    const url = new URL(`${link}/upload`);
    const { request } = await import('node:http');
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'X-Report-CSRF': csrf, 'Content-Length': 50 * 1024 * 1024 } });
    req.on('error', () => {});
    req.write(head);
    req.write(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(4 * 1024 * 1024)]));
    const partial = join(dir, '.report-serve', 'partial');
    while (!readdirSync(partial).length) await new Promise((r) => setTimeout(r, 20));
    running.child.kill('SIGKILL');
    await new Promise((r) => running!.child.once('exit', r));
    req.destroy();
    expect(visible(dir)).toContain('区林业局.xlsx');
    expect(existsSync(join(dir, '材料', '区林业局', '现场.mp4'))).toBe(false);
    // Restart: the half upload is cleared, what was acknowledged is there, and the same link works.
    running = await startServe(root, ['--port', port]);
    expect(readdirSync(partial)).toEqual([]);
    const state = await (await fetch(`${link}/state`)).json();
    expect(state.versions.map((v: { state: string }) => v.state)).toEqual(['accepted']);
    expect(readFileSync(join(dir, '区林业局.xlsx')).equals(GOOD)).toBe(true);
    expect(runCli(['status', '--dir', dir]).stdout).toMatch(/区林业局\s*│\s*已报送/);
  });

  it('the bureau link shows the board and runs merge; a department link cannot', async () => {
    const { root } = serveFolder();
    running = await startServe(root);
    await upload(running.links.get('区林业局')!, '区林业局.xlsx', GOOD);
    const board = await (await fetch(`${running.bureau}/state`)).json();
    expect(board.departments.find((d: { name: string }) => d.name === '区林业局')).toMatchObject({ state: 'submitted', stateLabel: '已报送' });
    expect((await fetch(`${running.links.get('区林业局')!}/run/merge`, { method: 'POST' })).status).toBe(404);
    const csrf = await csrfOf(running.bureau);
    expect((await fetch(`${running.bureau}/run/merge`, { method: 'POST' })).status).toBe(403);
    const merged = await (await fetch(`${running.bureau}/run/merge`, { method: 'POST', headers: { 'X-Report-CSRF': csrf } })).json();
    expect(merged.ok).toBe(true);
    const download = await fetch(`${running.bureau}/${merged.downloads[0].url}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  }, 60_000);
  it('beyond this PC: the address to give out, the firewall hint, and a warning for plain HTTP; with --cert and --key it serves HTTPS', async () => {
    const { root } = serveFolder();
    running = await startServe(root, ['--host', '0.0.0.0']);
    expect(running.output()).toContain('放行 TCP 端口');
    expect(running.output()).toContain('警告：正在用不加密的 HTTP');
    await running.stop();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(root, 'key.pem'), '-out', join(root, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    running = await startServe(root, ['--cert', 'cert.pem', '--key', 'key.pem', '--reissue', 'bureau']);
    expect(running.base).toMatch(/^https:/);
    expect(running.output()).not.toContain('警告');
    const { get } = await import('node:https');
    const status = await new Promise<number>((resolve, reject) => get(running!.bureau, { rejectUnauthorized: false }, (res) => resolve(res.statusCode!)).on('error', reject));
    expect(status).toBe(200);
  });

  it("refuses an upload past the department's limit", async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root, ['--department-limit', '0.00004']);
    const link = running.links.get('区林业局')!;
    expect((await upload(link, '区林业局.xlsx', GOOD)).status).toBe(200);
    const second = await upload(link, '区林业局.xlsx', GOOD);
    expect(second.status).toBe(413);
    expect(second.body.error).toContain('本单位上传的文件合计已达');
    expect(readdirSync(join(dir, '.report-serve', 'versions', 'forestry')).filter((n) => n.endsWith('.json'))).toHaveLength(1);
  });
  it('a file put in the folder by hand for the department is moved among its versions when an upload is accepted, not left as a duplicate', async () => {
    const { root, dir } = serveFolder();
    writeFileSync(join(dir, '林业局报送.yaml'), 'department: 区林业局\nstatistics:\n  inspectors: 12人次\n');
    running = await startServe(root);
    expect((await upload(running.links.get('区林业局')!, '区林业局.xlsx', GOOD)).body.version.state).toBe('accepted');
    expect(visible(dir).filter((n) => n.includes('林业局'))).toEqual(['区林业局.xlsx']);
    const kept = readdirSync(join(dir, '.report-serve', 'versions', 'forestry')).find((n) => n.endsWith('林业局报送.yaml'))!;
    expect(readFileSync(join(dir, '.report-serve', 'versions', 'forestry', kept), 'utf8')).toContain('12人次');
    expect(runCliJson<StatusJson>(['status', '--dir', dir, '--json']).json.departments.find((d) => d.name === '区林业局')?.state).toBe('submitted');
  });

  it('a .docx uploaded through the page is the department\'s 总结: the page says what to write as 总结文件, and the submission that names it is accepted and packed with it', async () => {
    const { root, dir } = serveFolder();
    running = await startServe(root);
    const link = running.links.get('区林业局')!;
    const docx = readFileSync(fixture('summary-docx', '区商务局总结.docx'));
    const stored = await upload(link, '区林业局总结.docx', docx);
    expect(stored.body.version).toMatchObject({ kind: 'summary', state: 'material', published: '材料/区林业局/区林业局总结.docx' });
    // A YAML submission (the workbook's 总结文件 is read the same way) naming the path the page gave.
    const yaml = readFileSync(join(dir, '区市场监管局.yaml'), 'utf8')
      .replace(/^department: .*$/m, 'department: 区林业局')
      .replace(/^summary: \|\n(?: {2}.*\n)+/m, `summary_file: ${stored.body.version.published}\n`);
    expect(yaml).toContain('summary_file: 材料/区林业局/区林业局总结.docx');
    const sent = await upload(link, '区林业局.yaml', yaml);
    expect(sent.body.version.state).toBe('accepted');
    expect(sent.body.version.diagnostics.map((d: { code: string }) => d.code)).not.toContain('schema/summary-missing');
    const state = await (await fetch(`${link}/state`)).json();
    expect(state.versions.map((v: { kind: string }) => v.kind)).toEqual(['summary', 'submission']);
    // The bureau's pack copies it as the department's own 总结 and reads its text.
    const packed = await (await fetch(`${running.bureau}/run/pack`, { method: 'POST', headers: { 'X-Report-CSRF': await csrfOf(running.bureau) } })).json();
    expect(packed.ok, packed.output).toBe(true);
    const zip = packed.downloads.find((f: { name: string }) => f.name.endsWith('.zip'));
    const folder = join(root, 'out', decodeURIComponent(zip.url.split('/')[1]), zip.name.replace(/\.zip$/, ''));
    expect(readFileSync(join(folder, '各单位总结', '区林业局', '区林业局总结.docx')).equals(docx)).toBe(true);
    const texts = await Promise.all(readdirSync(folder).filter((n) => n.endsWith('.docx')).map((n) => docxParagraphs(join(folder, n))));
    expect(texts.flat().some((p) => p.text.includes('拍卖经营许可年审'))).toBe(true);
  }, 120_000);

  it('check threads end when a big material starts arriving (their memory goes back), and start again for the next workbook', async () => {
    const { root } = serveFolder();
    running = await startServe(root);
    const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${running!.child.pid}/status`, 'utf8'))![1]);
    const link = running.links.get('区林业局')!;
    expect((await upload(link, '区林业局.xlsx', GOOD)).body.version.state).toBe('accepted');
    const checking = threads();
    // A video of 33 MiB: the idle check thread is ended as it arrives (not after the five minutes an idle thread is otherwise kept).
    const video = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(33 * 1024 * 1024)]);
    expect((await upload(link, '现场.mp4', video)).body.version.kind).toBe('material');
    while (threads() >= checking) await new Promise((r) => setTimeout(r, 20));
    expect(threads()).toBeLessThan(checking);
    expect((await upload(link, '区林业局.xlsx', BAD)).body.findings).toContain('统计表!C5 错误 [value/unit-in-number]');
  }, 20_000);

  it('a crash after an accepted upload is recorded and before it is made current: nothing half done is counted, and the restart finishes it without losing the version acknowledged before', async () => {
    const { root, dir } = serveFolder();
    const port = String(await freePort());
    running = await startServe(root, ['--port', port]);
    const link = running.links.get('区林业局')!;
    expect((await upload(link, '区林业局.xlsx', GOOD)).body.version.state).toBe('accepted');
    await running.stop();
    // The second version is a YAML file: made current, it must also move the workbook aside.
    const yaml = readFileSync(join(dir, '区市场监管局.yaml'), 'utf8').replace(/^department: .*$/m, 'department: 区林业局');
    const crash = pathToFileURL(join(REPO, 'test', 'helpers', 'crash-before-promote.mjs')).href;
    running = await startServe(root, ['--port', port], ['--import', crash]);
    await expect(upload(link, '区林业局.yaml', yaml)).rejects.toThrow();
    await new Promise((r) => (running!.child.exitCode !== null || running!.child.signalCode ? r(null) : running!.child.once('exit', r)));
    expect(running.child.signalCode).toBe('SIGKILL');
    // Killed with the record written and the checked copy not yet in place: the CLI sees the acknowledged workbook only.
    expect(readdirSync(join(dir, '.report-serve', 'versions', 'forestry')).filter((n) => n.endsWith('.json'))).toEqual(['1.json', '2.json']);
    expect(visible(dir).filter((n) => n.startsWith('区林业局'))).toEqual(['区林业局.xlsx']);
    expect(runCliJson<StatusJson>(['status', '--dir', dir, '--json']).json.departments.find((d) => d.name === '区林业局')).toMatchObject({ state: 'submitted', files: ['区林业局.xlsx'] });

    running = await startServe(root, ['--port', port]);
    // The restart finishes the promotion: one current file, the recorded one, whole; no checked copy left.
    expect(readdirSync(dir).filter((n) => n.startsWith('.check-'))).toEqual([]);
    expect(visible(dir).filter((n) => n.startsWith('区林业局'))).toEqual(['区林业局.yaml']);
    expect(readFileSync(join(dir, '区林业局.yaml'), 'utf8')).toBe(yaml);
    expect(runCliJson<StatusJson>(['status', '--dir', dir, '--json']).json.departments.find((d) => d.name === '区林业局')).toMatchObject({ state: 'submitted', files: ['区林业局.yaml'] });
    // The version acknowledged before is kept, and listed as replaced.
    expect(readFileSync(join(dir, '.report-serve', 'versions', 'forestry', '1.xlsx')).equals(GOOD)).toBe(true);
    const state = await (await fetch(`${link}/state`)).json();
    expect(state.versions.map((v: { state: string }) => v.state)).toEqual(['superseded', 'accepted']);
  }, 60_000);
});
