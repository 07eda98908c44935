/**
 * `npm run bench -- --only serve` (issue 23): `report serve` with one link per unit of the
 * generated campaign (1,000), 200 departments uploading a filled-in workbook at once over
 * loopback (time from the upload's start to its findings, p50 and p95), the server's memory
 * and CPU meanwhile; the same batch again at once (the check threads warm by then); then one
 * 2 GB video streamed to it with its memory sampled throughout.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** CPU seconds used so far by each of a process's threads (the main one, and the others by id; from /proc: user + system). */
function threadCpu(pid) {
  const out = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : `thread ${tid}`;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    // gone
  }
  return out;
}

/** CPU used between two threadCpu readings: in all, the main thread, and the busiest other threads. */
function cpuSince(before, after) {
  const used = Object.entries(after).map(([name, s]) => [name, s - (before[name] ?? 0)]);
  const total = used.reduce((sum, [, s]) => sum + s, 0);
  const busy = used.filter(([name, s]) => name !== 'main' && s >= 0.2).sort((a, b) => b[1] - a[1]);
  const rest = total - (used.find(([name]) => name === 'main')?.[1] ?? 0) - busy.reduce((sum, [, s]) => sum + s, 0);
  const busiest = busy.length ? `${busy.map(([, s]) => s.toFixed(2)).join(' + ')} s on the busiest threads; ` : '';
  return `${total.toFixed(2)} s in all (main ${(after.main - (before.main ?? 0)).toFixed(2)} s; ${busiest}${rest.toFixed(2)} s on the others)`;
}

function startServe(bin, cwd, campaignFile, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve', '--dir', 'sub', '--port', '0', '--campaign', campaignFile], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', REPORT_CACHE_DIR: join(cwd, '.cache') } });
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

/** One upload as the page sends it, through fetch and FormData; resolves with the milliseconds to the findings and the result. */
async function uploadOnce(link, csrf, name, bytes) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const t = performance.now();
  const res = await fetch(`${link}/upload`, { method: 'POST', body: form, headers: { 'X-Report-CSRF': csrf } });
  const body = await res.json();
  return { ms: performance.now() - t, status: res.status, state: body.version?.state };
}

/**
 * The same request with its multipart body made beforehand (as a browser has the file at hand)
 * and sent with node:http: the 200 browsers are other PCs, and fetch's own work on this machine's
 * two cores (about a second of CPU for the batch) would be counted against the server.
 */
function multipartOf(name, bytes) {
  const boundary = `----bench${Math.random().toString(36).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]) };
}

function uploadPrepared(link, csrf, { type, body }) {
  const url = new URL(`${link}/upload`);
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': type, 'Content-Length': body.length, 'X-Report-CSRF': csrf } }, (res) => {
      const chunks = [];
      res.on('data', (b) => chunks.push(b));
      res.on('end', () => {
        const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve({ ms: performance.now() - t, status: res.statusCode, state: answer.version?.state });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
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

/** All the uploads at once; logs and returns their times, and the CPU the server and this client used meanwhile. */
async function uploadBatch(child, jobs, csrfs, bytes, client, log) {
  const loadBefore = loadavg()[0];
  const cpuBefore = threadCpu(child.pid);
  const ownBefore = process.cpuUsage();
  const prepared = client === 'http' ? bytes.map((b, i) => multipartOf(jobs[i].file, b)) : undefined;
  const t = performance.now();
  const results = await Promise.all(jobs.map((j, i) => (prepared ? uploadPrepared(j.link, csrfs[i], prepared[i]) : uploadOnce(j.link, csrfs[i], j.file, bytes[i]))));
  const wall = performance.now() - t;
  const own = process.cpuUsage(ownBefore);
  const accepted = results.filter((r) => r.status === 200 && r.state === 'accepted').length;
  const p50 = percentile(results.map((r) => r.ms), 50);
  const p95 = percentile(results.map((r) => r.ms), 95);
  log(`  ${jobs.length} concurrent uploads: ${accepted} accepted, all in ${wall.toFixed(0)} ms; p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms; load average ${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
  log(`  CPU meanwhile: server ${cpuSince(cpuBefore, threadCpu(child.pid))}; this client ${((own.user + own.system) / 1e6).toFixed(2)} s`);
  return { results, p50, p95, accepted };
}

/**
 * Measures and adds rows through `addRow(label, {ms, cpuMs, maxRssKiB}, target, pass, note)`.
 * `workbooksDir` holds one filled workbook per unit (and their 材料 folder).
 */
export async function measureServe({ bin, tmp, data, workbooksDir, workbookNames, addRow, addFailedRow, log, targets, concurrent = 200, videoBytes = 2 * 1024 ** 3, nodeArgs = [], client = 'http', batches = 2 }) {
  const root = join(tmp, 'serve');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'sub'), { recursive: true });
  // The materials the workbooks name, so each upload is checked in full and accepted.
  cpSync(join(workbooksDir, '材料'), join(root, 'sub', '材料'), { recursive: true });
  const t0 = performance.now();
  const { child, links } = await startServe(bin, root, data.campaignFile, nodeArgs);
  log(`  serve started with ${links.length} department links in ${(performance.now() - t0).toFixed(0)} ms`);
  const byName = new Map(links.map((l) => [l.name, l.url]));
  const rss = sampleRss(child.pid);
  try {
    const jobs = workbookNames.slice(0, concurrent).map((file) => ({ file, link: byName.get(file.replace(/\.xlsx$/, '')) }));
    const csrfs = await Promise.all(jobs.map((j) => csrfOf(j.link)));
    const bytes = jobs.map((j) => readFileSync(join(workbooksDir, j.file)));
    const idle = rss.now();
    const { results, p50, p95, accepted } = await uploadBatch(child, jobs, csrfs, bytes, client, log);
    const peak = rss.stop();
    const size = (bytes.reduce((s, b) => s + b.length, 0) / bytes.length / 1024).toFixed(0);
    log(`  ${size} KiB workbooks; server RSS ${(idle / 1024).toFixed(0)} → ${(peak / 1024).toFixed(0)} MiB`);
    addRow(`serve: ${jobs.length} concurrent uploads, p95 upload→findings`, { ms: p95, cpuMs: undefined, maxRssKiB: peak }, `p95 ≤ ${targets.serveP95Ms / 1000} s`, p95 <= targets.serveP95Ms && accepted === jobs.length, `p50 ${p50.toFixed(0)} ms; ${accepted}/${jobs.length} accepted; ${links.length} links; ${size} KiB workbooks; client: ${client === 'http' ? 'node:http, bodies made beforehand' : 'fetch + FormData'}`);
    // The same batch again at once, for what a server that has been running sees (its check threads warm).
    for (let n = 1; n < batches; n++) {
      const during = sampleRss(child.pid);
      const again = await uploadBatch(child, jobs, csrfs, bytes, client, log);
      addRow(`serve: the same ${jobs.length} uploads again (check threads warm), p95`, { ms: again.p95, cpuMs: undefined, maxRssKiB: during.stop() }, `p95 ≤ ${targets.serveP95Ms / 1000} s`, again.p95 <= targets.serveP95Ms && again.accepted === jobs.length, `p50 ${again.p50.toFixed(0)} ms; ${again.accepted}/${jobs.length} accepted`);
    }

    const video = sampleRss(child.pid);
    log(`  server RSS when the video starts: ${(video.now() / 1024).toFixed(0)} MiB`);
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

/**
 * On its own, against a folder kept by `npm run bench -- --only serve --keep` (its campaign and
 * workbooks), for before/after comparisons without generating them again:
 *   node scripts/bench/serve.mjs KEPT_FOLDER [--bin path/to/bin/report.js] [--concurrent 200] [--video-mib 2048] [--client http|fetch] [--batches 2] [--node-arg --cpu-prof ...]
 */
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const kept = args.shift();
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const nodeArgs = args.flatMap((a, i) => (a === '--node-arg' ? [args[i + 1]] : []));
  if (!kept || !existsSync(join(kept, 'workbooks'))) {
    console.error('usage: node scripts/bench/serve.mjs KEPT_FOLDER [--bin BIN] [--concurrent N] [--video-mib N] [--client http|fetch] [--batches N] [--node-arg ARG]…');
    process.exit(2);
  }
  const workbooksDir = join(kept, 'workbooks');
  const log = (line) => console.log(line);
  log(`serve bench · ${new Date().toISOString()} · load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  await measureServe({
    bin: resolve(option('--bin', fileURLToPath(new URL('../../bin/report.js', import.meta.url)))),
    tmp: kept,
    data: { campaignFile: join(kept, 'campaign.yaml') },
    workbooksDir,
    workbookNames: readdirSync(workbooksDir).filter((f) => f.endsWith('.xlsx')),
    addRow: (label, m, target, pass, note) => log(`${pass ? 'PASS' : 'MISS'} ${label}: ${(m.ms / 1000).toFixed(2)} s, peak RSS ${(m.maxRssKiB / 1024).toFixed(0)} MiB (${target}; ${note})`),
    addFailedRow: (label) => log(`FAILED ${label}`),
    log,
    targets: { serveP95Ms: 2_000, serveVideoRssKiB: 300 * 1024 },
    concurrent: Number(option('--concurrent', '200')),
    videoBytes: Number(option('--video-mib', '2048')) * 1024 ** 2,
    nodeArgs,
    client: option('--client', 'http'),
    batches: Number(option('--batches', '2')),
  });
  log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
}
