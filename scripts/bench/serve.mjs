/**
 * `npm run bench -- --only serve` (issue 23): `report serve` with one link per unit of the
 * generated campaign (1,000), 200 departments uploading a filled-in workbook at once over
 * loopback (time from the upload's start to its findings, p50 and p95), the server's memory
 * meanwhile, then one 2 GB video streamed to it with its memory sampled throughout.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

/** Peak resident memory of a process, sampled from /proc every 50 ms until stopped. */
function sampleRss(pid) {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // gone
    }
  };
  read();
  const timer = setInterval(read, 50);
  return { stop: () => (clearInterval(timer), read(), peak), now: () => (read(), peak) };
}

function startServe(bin, cwd, campaignFile) {
  const child = spawn(process.execPath, [bin, 'serve', '--dir', 'sub', '--port', '0', '--campaign', campaignFile], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', REPORT_CACHE_DIR: join(cwd, '.cache') } });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!out.includes('按 Ctrl-C 停止')) return;
      clearInterval(timer);
      const links = [...out.matchAll(/^(\S+)：(http\S+\/d\/\S+)$/gm)].map((m) => ({ name: m[1], url: m[2] }));
      resolve({ child, links });
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`serve ended (${code}): ${out}`));
    });
  });
}

async function csrfOf(link) {
  return /"csrf":"([^"]+)"/.exec(await (await fetch(link)).text())[1];
}

/** One upload as the page sends it; resolves with the milliseconds to the findings and the result. */
async function uploadOnce(link, csrf, name, bytes) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const t = performance.now();
  const res = await fetch(`${link}/upload`, { method: 'POST', body: form, headers: { 'X-Report-CSRF': csrf } });
  const body = await res.json();
  return { ms: performance.now() - t, status: res.status, state: body.version?.state };
}

/** A video of `size` bytes streamed in 1 MiB chunks (an MP4 header, then zeros), as a browser sends a file. */
function streamVideo(link, csrf, size) {
  const url = new URL(`${link}/upload`);
  const boundary = '----benchBoundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="现场.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1024 * 1024);
  Buffer.from([0, 0, 0, 0x20, ...Buffer.from('ftypisom')]).copy(chunk);
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': head.length + size + tail.length, 'X-Report-CSRF': csrf } }, (res) => {
      let body = '';
      res.on('data', (b) => (body += b));
      res.on('end', () => resolve({ ms: performance.now() - t, status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    const more = () => {
      while (sent < size) {
        const part = sent === 0 ? chunk : chunk.subarray(0, Math.min(chunk.length, size - sent));
        const zeroed = sent === 0 ? part : Buffer.alloc(part.length);
        sent += part.length;
        if (!req.write(sent === part.length ? part : zeroed)) return req.once('drain', more);
      }
      req.end(tail);
    };
    more();
  });
}

const percentile = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/**
 * Measures and adds rows through `addRow(label, {ms, cpuMs, maxRssKiB}, target, pass, note)`.
 * `workbooksDir` holds one filled workbook per unit (and their 材料 folder).
 */
export async function measureServe({ bin, tmp, data, workbooksDir, workbookNames, addRow, addFailedRow, log, targets, concurrent = 200, videoBytes = 2 * 1024 ** 3 }) {
  const root = join(tmp, 'serve');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'sub'), { recursive: true });
  // The materials the workbooks name, so each upload is checked in full and accepted.
  cpSync(join(workbooksDir, '材料'), join(root, 'sub', '材料'), { recursive: true });
  const t0 = performance.now();
  const { child, links } = await startServe(bin, root, data.campaignFile);
  log(`  serve started with ${links.length} department links in ${(performance.now() - t0).toFixed(0)} ms`);
  const byName = new Map(links.map((l) => [l.name, l.url]));
  const rss = sampleRss(child.pid);
  try {
    const jobs = workbookNames.slice(0, concurrent).map((file) => ({ file, link: byName.get(file.replace(/\.xlsx$/, '')) }));
    const csrfs = await Promise.all(jobs.map((j) => csrfOf(j.link)));
    const bytes = jobs.map((j) => readFileSync(join(workbooksDir, j.file)));
    const idle = rss.now();
    const t = performance.now();
    const results = await Promise.all(jobs.map((j, i) => uploadOnce(j.link, csrfs[i], j.file, bytes[i])));
    const wall = performance.now() - t;
    const peak = rss.stop();
    const accepted = results.filter((r) => r.status === 200 && r.state === 'accepted').length;
    const p50 = percentile(results.map((r) => r.ms), 50);
    const p95 = percentile(results.map((r) => r.ms), 95);
    const size = (bytes.reduce((s, b) => s + b.length, 0) / bytes.length / 1024).toFixed(0);
    log(`  ${jobs.length} concurrent uploads (${size} KiB workbooks): ${accepted} accepted, all in ${wall.toFixed(0)} ms; p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms; server RSS ${(idle / 1024).toFixed(0)} → ${(peak / 1024).toFixed(0)} MiB`);
    addRow(`serve: ${jobs.length} concurrent uploads, p95 upload→findings`, { ms: p95, cpuMs: undefined, maxRssKiB: peak }, `p95 ≤ ${targets.serveP95Ms / 1000} s`, p95 <= targets.serveP95Ms && accepted === jobs.length, `p50 ${p50.toFixed(0)} ms; ${accepted}/${jobs.length} accepted; ${links.length} links; ${size} KiB workbooks`);

    const video = sampleRss(child.pid);
    const link = links[links.length - 1].url;
    const v = await streamVideo(link, await csrfOf(link), videoBytes);
    const videoPeak = video.stop();
    const ok = v.status === 200 && JSON.parse(v.body).version?.kind === 'material';
    const rate = (videoBytes / 1024 ** 2 / (v.ms / 1000)).toFixed(0);
    log(`  ${(videoBytes / 1024 ** 3).toFixed(1)} GiB video: ${ok ? 'stored' : `FAILED ${v.status} ${v.body}`} in ${(v.ms / 1000).toFixed(1)} s (${rate} MiB/s); server peak RSS ${(videoPeak / 1024).toFixed(0)} MiB`);
    addRow(`serve: one ${(videoBytes / 1024 ** 3).toFixed(0)} GB video upload`, { ms: v.ms, cpuMs: undefined, maxRssKiB: videoPeak }, `≤ ${targets.serveVideoRssKiB / 1024} MiB RSS`, ok && videoPeak <= targets.serveVideoRssKiB, `${rate} MiB/s, written and synced before the answer`);
  } catch (error) {
    log(`  serve: ${error.message}`);
    addFailedRow('serve', '–');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(root, { recursive: true, force: true });
  }
}
