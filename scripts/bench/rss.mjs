/**
 * Preloaded into a measured command (`node --import file:///…/rss.mjs bin/report.js …`).
 * When the process exits it writes, to the file named by REPORT_BENCH_PROBE, its peak
 * resident set size (process.resourceUsage().maxRSS, KiB), its CPU time, and which packages it loaded
 * through the CommonJS loader (exceljs is CommonJS, so an `import` of it shows here too).
 * Portable: no /usr/bin/time needed.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const target = process.env.REPORT_BENCH_PROBE;

if (target) {
  process.on('exit', () => {
    const packages = new Set();
    for (const file of Object.keys(require.cache)) {
      const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
      if (m) packages.add(m[1].replace(/\\/g, '/'));
    }
    const usage = process.resourceUsage();
    writeFileSync(
      target,
      JSON.stringify({
        maxRssKiB: usage.maxRSS,
        // CPU time of every thread of the process (workers included), in ms: less sensitive than wall time to a busy machine.
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        cjsPackages: [...packages].sort(),
      }),
    );
  });
}
