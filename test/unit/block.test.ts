/**
 * The fast block reader must give exactly the tree `yaml` gives, or step aside. Every text
 * it accepts is parsed by `yaml` too and the two trees compared (structure, values, types,
 * sources, scalar starts and ends, collection starts): the fixtures, the samples, the
 * blanks `report init` writes, benchmark submissions, thousands of seeded mutations of
 * them, and thousands of generated documents full of YAML's corner cases.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/campaign/schema.js';
import { blankSubmission } from '../../src/commands/init.js';
import { readBlockYaml } from '../../src/source/block.js';
import { checkText } from '../../src/submission/check.js';
import { decodeText } from '../../src/source/read.js';
import { generateDataset } from '../../scripts/bench/generate.mjs';
import { tempDir } from '../helpers/exec.js';
import { CAMPAIGN_FILE, FIXTURES, SAMPLE_SUBMISSIONS } from '../helpers/paths.js';
import { loadTestCampaign } from '../helpers/submission.js';

/** What the checks read of a tree. Collections' ends are not compared: nothing reads them. */
function shape(node: unknown): unknown {
  if (isMap(node)) return { map: node.range?.[0], flow: Boolean(node.flow), items: node.items.map((p) => [shape(p.key), shape(p.value)]) };
  if (isSeq(node)) return { seq: node.range?.[0], flow: Boolean(node.flow), items: node.items.map(shape) };
  if (isScalar(node)) return { value: node.value, type: node.type, source: node.source, range: node.range?.slice(0, 2) };
  return { other: node === null ? null : typeof node };
}

/** Whether the fast reader accepted `text`, failing the test when its tree differs from yaml's. */
function agrees(text: string): boolean {
  const fast = readBlockYaml(text);
  if (!fast) return false;
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: true, merge: false });
  expect(doc.errors.map((e) => e.code), JSON.stringify(text)).toEqual([]);
  expect(shape(fast.root), JSON.stringify(text)).toEqual(shape(doc.contents));
  for (const offset of [0, text.length >> 1, Math.max(0, text.length - 1)]) {
    const lines = text.slice(0, offset).split('\n');
    expect(fast.lineCounter.linePos(offset)).toEqual({ line: lines.length, col: lines[lines.length - 1]!.length + 1 });
  }
  return true;
}

/** A seeded generator (the same cases on every run). */
function random(seed: number) {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(a: readonly T[]) => a[Math.floor(next() * a.length)]! };
}

function yamlFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, found);
    else if (/\.ya?ml$/.test(name)) found.push(path);
  }
  return found;
}

/** The same text for a reader, sent to the full parser: a tab in a last comment line changes no meaning. */
const viaYaml = (text: string) => `${text}${text.endsWith('\n') ? '' : '\n'}#\t\n`;

let campaign: Campaign;
const corpus: { name: string; text: string }[] = [];
beforeAll(async () => {
  campaign = await loadTestCampaign();
  for (const file of [...yamlFiles(FIXTURES), ...yamlFiles(SAMPLE_SUBMISSIONS), CAMPAIGN_FILE]) {
    const decoded = decodeText(readFileSync(file));
    if (!('severity' in decoded)) corpus.push({ name: file, text: decoded.text });
  }
  for (const d of campaign.departments) corpus.push({ name: `init ${d.name}`, text: blankSubmission(campaign, d) });
  const bench = generateDataset({ root: tempDir('block-bench-'), realCampaignFile: CAMPAIGN_FILE, units: 14, casesPerUnit: 5, seed: 'block-test' });
  corpus.push({ name: 'bench campaign', text: readFileSync(bench.campaignFile, 'utf8') });
  for (const name of readdirSync(bench.dir).filter((n) => n.endsWith('.yaml'))) corpus.push({ name: `bench ${name}`, text: readFileSync(join(bench.dir, name), 'utf8') });
});

describe('readBlockYaml', () => {
  it('reads the samples, the blanks init writes, the campaigns and benchmark submissions (else nothing is faster)', () => {
    const usual = corpus.filter((c) => !c.name.startsWith(FIXTURES));
    expect(usual.length).toBeGreaterThan(25);
    for (const { name, text } of usual) expect(agrees(text), name).toBe(true);
    for (const { text } of usual) expect(agrees(text.replace(/\n/g, '\r\n'))).toBe(true);
  });

  it('agrees with yaml on every fixture it reads', () => {
    const read = corpus.filter((c) => c.name.startsWith(FIXTURES) && agrees(c.text));
    expect(read.length).toBeGreaterThan(20);
  });

  it('gives the same findings and submission as the full parser, file by file', () => {
    let compared = 0;
    for (const { name, text } of corpus) {
      if (!readBlockYaml(text)) continue;
      expect(readBlockYaml(viaYaml(text))).toBeUndefined();
      expect(checkText(text, campaign), name).toEqual(checkText(viaYaml(text), campaign));
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it.each([
    ['a tab', 'a:\n\tb: 1\n'],
    ['a full-width space as indentation', 'a:\n\u3000b: 1\n'],
    ['a full-width colon', 'department：区林业局\n'],
    ['a key without a space after the colon', 'a:1\nb: 2\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a flow list over two lines', 'a: [1,\n  2]\n'],
    ['a flow list of quoted words', 'a: ["x", y]\n'],
    ['a tag', 'a: !!str 1\n'],
    ['an escape in double quotes', 'a: "x\\ty"\n'],
    ['a quote left open', 'a: "x\nb: 1\n'],
    ['a plain value over two lines', 'a: one\n  two\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a key in quotes', '"a": 1\n'],
    ['a mapping inside a value', 'a: b: c\n'],
    ['a list item among keys', 'a: 1\n- b\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a scalar document', 'just text\n'],
    ['an empty file', ''],
    ['comments only', '# nothing\n'],
    ['blank lines before a text block', 'a: |\n\n  x\n'],
    ['a keep-chomping text block', 'a: |+\n  x\n\n'],
  ])('leaves %s to the full parser', (_, text) => {
    expect(readBlockYaml(text)).toBeUndefined();
  });

  it('agrees with yaml on 40 seeded mutations of every file in the corpus, and so does the check of a quarter of them', () => {
    const r = random(20241112);
    const inserts = [' ', ':', ': ', '#', ' #', '-', '- ', '"', "'", '|', '>', '\n', '\n\n', '：', '\u3000', 'a', '1', '[', '[]', '{}', '&', '*', '!', '\r\n', '~', '\\', '  ', '>-', '|-', 'null', 'true', '1.5', '-1', '0x1F'];
    const mutate = (text: string): string => {
      const lines = text.split('\n');
      const i = r.int(lines.length);
      const at = r.int(text.length + 1);
      switch (r.int(7)) {
        case 0:
          return text.slice(0, at) + r.pick(inserts) + text.slice(at);
        case 1:
          return text.slice(0, at) + text.slice(at + 1 + r.int(3));
        case 2:
          lines.splice(i, 0, lines[i]!);
          break;
        case 3:
          lines[i] = ' '.repeat(1 + r.int(3)) + lines[i];
          break;
        case 4:
          lines[i] = lines[i]!.replace(/^ {1,2}/, '');
          break;
        case 5:
          if (i + 1 < lines.length) lines.splice(i, 2, lines[i]! + lines[i + 1]);
          break;
        default:
          return text.replace(/\n/g, '\r\n');
      }
      return lines.join('\n');
    };
    let read = 0;
    let total = 0;
    for (const { text } of corpus)
      for (let k = 0; k < 40; k++) {
        let t = text;
        for (let m = 1 + r.int(3); m > 0; m--) t = mutate(t);
        total++;
        if (!agrees(t)) continue;
        read++;
        if (k % 4 === 0) expect(checkText(t, campaign)).toEqual(checkText(viaYaml(t), campaign));
      }
    // Most mutations are still YAML the reader handles; the rest go to yaml. Both kinds are many.
    expect(read).toBeGreaterThan(total / 5);
    expect(total - read).toBeGreaterThan(total / 5);
  });

  it("agrees with yaml on 5,000 generated documents full of YAML's corner cases", () => {
    const r = random(34);
    const sp = (n: number) => ' '.repeat(n);
    const keys = ['a', 'department', '统计', '1', '12', '~', 'null', 'true', '1.5', '0x1F', '-1', 'a b', 'k-1', 'http://x', '“引号”', 'x:y', 'a#b', '.inf', '0o7', '1e3', '+1', '.nan', 'Yes', '08'];
    const plains = ['[]', '{}', '[] # c', '[ ]', '[]x', '[x, y]', '[market]  # c', '[1,2.5, null, 中文]', '[ a ,b ]', '[x, y,]', '[x y]', '[a:b]', '[-1, ~]', '[a, [b]]', '[a, "b"]', '[a,,b]', '[a#b]', '[a, b]x', '[a, b', 'x', '区市场监管局', '12', '0', '-3', '1.50', '3.5万元', '2024-11-12', 'true', 'False', '~', 'null', 'NULL', '0x1A', '0o17', '.5', '1e3', '+12', 'http://a.b/c', 'a:b', 'a#b', 'a ,b', 'x]', '中文：冒号', '１２', 'a  b', '.Inf', '-.inf', '.NaN'];
    const quoted = ['"x"', '"中文"', '""', "''", "'it''s'", "'a:b'", '"a # b"', '"12"', "' x '", '"x" # c', "'y'   "];
    const blank = () => (r.next() < 0.4 ? '' : r.next() < 0.5 ? sp(r.int(5)) : `${sp(r.int(4))}# comment`);
    const textBlock = (indent: number): [string, string[]] => {
      const header = r.pick(['|', '>', '|-', '>-']) + (r.next() < 0.3 ? '  # c' : '');
      const at = indent + 1 + r.int(3);
      const lines: string[] = [];
      if (r.next() < 0.2) lines.push(sp(r.int(at + 2)));
      for (let n = r.int(4); n > 0; n--) {
        const x = r.next();
        lines.push(x < 0.15 ? sp(r.int(at + 2)) : x < 0.25 ? `${sp(at + 1)}more` : x < 0.3 ? `${sp(at)}# not a comment` : `${sp(at)}${r.pick(plains)}${r.next() < 0.2 ? '  ' : ''}`);
      }
      if (r.next() < 0.4) lines.push(blank());
      return [header, lines];
    };
    const value = (indent: number, depth: number): [string, string[]] => {
      const x = r.next();
      if (depth < 3 && x < 0.2) return ['', map(indent + 1 + r.int(3), depth + 1)];
      if (depth < 3 && x < 0.3) return ['', seq(r.next() < 0.3 ? indent : indent + 1 + r.int(3), depth + 1)];
      if (x < 0.45) return textBlock(indent);
      if (x < 0.55) return [r.pick(quoted), []];
      if (x < 0.62) return [r.next() < 0.5 ? '' : '   # empty', []];
      return [`${r.pick(plains)}${r.next() < 0.2 ? ' # c' : ''}${r.next() < 0.1 ? '  ' : ''}`, []];
    };
    const map = (indent: number, depth: number, first?: string): string[] => {
      const out: string[] = [];
      for (let n = 1 + r.int(4), i = 0; i < n; i++) {
        if (r.next() < 0.2) out.push(blank());
        const [v, more] = value(indent, depth);
        out.push(`${i === 0 && first !== undefined ? first : sp(indent)}${r.pick(keys)}${r.next() < 0.1 ? '  ' : ''}:${v ? ` ${v}` : ''}`, ...more);
      }
      return out;
    };
    const seq = (indent: number, depth: number): string[] => {
      const out: string[] = [];
      for (let n = 1 + r.int(3); n > 0; n--) {
        if (r.next() < 0.2) out.push(blank());
        const x = r.next();
        if (depth < 3 && x < 0.35) {
          const extra = r.int(2);
          out.push(...map(indent + 2 + extra, depth + 1, `${sp(indent)}-${sp(1 + extra)}`));
        } else if (depth < 3 && x < 0.45) out.push(`${sp(indent)}-`, ...map(indent + 1 + r.int(3), depth + 1));
        else {
          const [v, more] = value(indent, depth);
          out.push(`${sp(indent)}-${v ? ` ${v}` : ''}`, ...more);
        }
      }
      return out;
    };
    let read = 0;
    for (let i = 0; i < 5000; i++) {
      const lines = r.next() < 0.85 ? map(0, 0) : seq(0, 0);
      if (r.next() < 0.2) lines.unshift('# head');
      let text = lines.join('\n') + (r.next() < 0.7 ? '\n' : '');
      if (r.next() < 0.2) text = text.replace(/\n/g, '\r\n');
      if (agrees(text)) read++;
    }
    expect(read).toBeGreaterThan(2000);
  });
});
