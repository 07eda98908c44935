#!/usr/bin/env node
/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most
 * self time, and self time by package or dist/ module.
 *
 *   node scripts/bench/cpuprofile-top.mjs FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A short form of a script URL: `yaml/dist/parse/lexer.js`, `dist/submission/check.js`, `node:fs`. */
export function shortUrl(url) {
  const pkg = /node_modules\/(.+)$/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/((?:dist|scripts)\/.+)$/.exec(url);
  if (own) return own[1];
  return url.replace(/^node:internal\//, 'node:');
}

/** Where a script URL belongs: a package, a dist/ module, a node: builtin, or V8 itself. */
export function ownerOf(url) {
  if (!url) return '(V8/native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node (builtins)';
  const dist = /\/(dist|scripts)\/(.+)$/.exec(url);
  if (dist) return `${dist[1]}/${dist[2]}`;
  return url;
}

/**
 * Self and inclusive time per function, and self time per owner. Inclusive time is
 * counted once per sample even when a function recurses.
 */
export function summariseProfile(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfByNode = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  // timeDeltas[i] is the time before sample i; the time spent in sample i is deltas[i + 1].
  for (let i = 0; i < samples.length; i++) {
    const dt = Math.max(0, deltas[i + 1] ?? 0);
    selfByNode.set(samples[i], (selfByNode.get(samples[i]) ?? 0) + dt);
    total += dt;
  }
  const keyOf = (n) => {
    const f = n.callFrame;
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '';
    const name = f.functionName || '(anonymous)';
    return `${name.length > 60 ? `${name.slice(0, 57)}…` : name}\t${where}`;
  };
  const fns = new Map();
  const owners = new Map();
  const entry = (key) => fns.get(key) ?? fns.set(key, { self: 0, inclusive: 0 }).get(key);
  for (const [id, us] of selfByNode) {
    const node = nodes.get(id);
    entry(keyOf(node)).self += us;
    const owner = ['(garbage collector)', '(program)', '(idle)'].includes(node.callFrame.functionName) ? node.callFrame.functionName : ownerOf(node.callFrame.url);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = keyOf(nodes.get(cur));
      if (seen.has(key)) continue;
      seen.add(key);
      entry(key).inclusive += us;
    }
  }
  const rows = [...fns].map(([key, v]) => {
    const [name, where] = key.split('\t');
    return { name, where, selfMs: v.self / 1000, inclusiveMs: v.inclusive / 1000 };
  });
  return {
    totalMs: total / 1000,
    functions: rows.filter((r) => r.name !== '(root)'),
    owners: [...owners].map(([owner, us]) => ({ owner, selfMs: us / 1000 })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

/** Markdown tables of the top functions by self time and of self time by owner. */
export function formatSummary(summary, top = 25) {
  const pct = (ms) => `${((100 * ms) / summary.totalMs).toFixed(1)} %`;
  const fmt = (ms) => ms.toFixed(1);
  const lines = [`Sampled time: ${fmt(summary.totalMs)} ms`, '', '| self ms | self % | incl. % | function | where |', '|---:|---:|---:|---|---|'];
  for (const r of [...summary.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top))
    lines.push(`| ${fmt(r.selfMs)} | ${pct(r.selfMs)} | ${pct(r.inclusiveMs)} | \`${r.name}\` | ${r.where} |`);
  lines.push('', '| self ms | self % | package / module |', '|---:|---:|---|');
  for (const o of summary.owners.slice(0, top)) lines.push(`| ${fmt(o.selfMs)} | ${pct(o.selfMs)} | ${o.owner} |`);
  return lines.join('\n');
}

/** The heaviest functions by inclusive time (where the time goes, callers included). */
export function formatInclusive(summary, top = 25) {
  const pct = (ms) => `${((100 * ms) / summary.totalMs).toFixed(1)} %`;
  const lines = ['| incl. ms | incl. % | self % | function | where |', '|---:|---:|---:|---|---|'];
  for (const r of [...summary.functions].sort((a, b) => b.inclusiveMs - a.inclusiveMs).slice(0, top))
    lines.push(`| ${r.inclusiveMs.toFixed(1)} | ${pct(r.inclusiveMs)} | ${pct(r.selfMs)} | \`${r.name}\` | ${r.where} |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  if (!file) {
    console.error('usage: node scripts/bench/cpuprofile-top.mjs FILE.cpuprofile [--top N] [--inclusive]');
    process.exit(2);
  }
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')));
  console.log(formatSummary(summary, top));
  if (args.includes('--inclusive')) console.log(`\n${formatInclusive(summary, top)}`);
}
