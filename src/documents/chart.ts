/**
 * The bar chart of the 主要成效 section: the main indicators by department, one small panel
 * per indicator (each with its own scale: 人次 and 件 do not share an axis). Drawn as SVG
 * here and rendered to PNG in-process by resvg (a prebuilt binary from the registry, for
 * Windows too), which is imported only when a chart is drawn.
 *
 * A department that did not report, or left the figure empty, gets words, never a bar of 0.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Campaign, Indicator } from '../campaign/schema.js';
import { submissionOf, type DepartmentStatus } from '../model.js';
import { emWidth, xmlText } from './docx.js';
import { figure } from './text.js';
import type { Comparison, IndicatorComparison } from '../history/compare.js';

/** A piece of text on the chart: drawn at (x, y) on its baseline, ending there when `end`. */
export interface Label {
  x: number;
  y: number;
  size: number;
  text: string;
  fill: string;
  end?: boolean;
}

/** The chart: its shapes as SVG elements, its text apart (see renderPng for why). */
export interface Chart {
  width: number;
  height: number;
  shapes: string[];
  labels: Label[];
  indicators: Indicator[];
}

/** The PNG is drawn 1200 px wide: about 200 dpi at the 150 mm it takes on the page. */
const WIDTH = 1200;
const PANEL_GAP = 24;
const PANEL = (WIDTH - PANEL_GAP) / 2;
const ROW = 40;
const HEAD = 60;
const LABEL_FONT = 24;
/** Above this many departments a panel shows the largest figures only. */
const MAX_ROWS = 12;
const TOP = 10;
/**
 * The CJK font to draw with, per system: 黑体 on every Chinese Windows, 苹方 on macOS, Noto
 * CJK elsewhere. Naming one that exists matters for speed too: resvg reads the whole font
 * file for each piece of text, and scans every font on the system for a missing family.
 */
const FONT = process.platform === 'win32' ? 'SimHei' : process.platform === 'darwin' ? 'PingFang SC' : 'Noto Sans CJK SC';
/** Where the system keeps that font, usually. */
const FONT_FILES =
  process.platform === 'win32'
    ? [join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts', 'simhei.ttf')]
    : process.platform === 'darwin'
      ? ['/System/Library/Fonts/PingFang.ttc']
      : ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc'];
const FONTS = `'${FONT}', SimHei, 'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif`;

/**
 * The main indicators: the first reported one of each column group (出动执法人员, 删除违法违规
 * 商品信息, 立案…), at most six; a campaign with fewer groups takes its first reported ones.
 */
export function mainIndicators(campaign: Campaign, totals: Record<string, number | undefined>): Indicator[] {
  const reported = campaign.indicators.filter((i) => totals[i.id] !== undefined);
  const byGroup = new Map<string, Indicator>();
  for (const i of reported) if (!byGroup.has(i.group)) byGroup.set(i.group, i);
  return (byGroup.size >= 2 ? [...byGroup.values()] : reported).slice(0, 6);
}

interface Row {
  name: string;
  value?: number;
  /** Why there is no value: 未报送 or 未填报. */
  note?: string;
  /** 同比 of the figure (+22.2%), when an earlier round has it too. */
  yoy?: string;
}

/** Room for the 同比 column at a panel's right. */
const YOY_WIDTH = 110;

/** The chart's SVG, or undefined when no indicator was reported by anyone. */
export function drawChart(campaign: Campaign, statuses: readonly DepartmentStatus[], totals: Record<string, number | undefined>, comparison?: Comparison): Chart | undefined {
  const indicators = mainIndicators(campaign, totals);
  if (indicators.length === 0) return undefined;
  const panels = indicators.map((ind) => withYoy(panelRows(ind, statuses), comparison?.indicators.find((c) => c.indicator.id === ind.id)));
  const labelWidth = Math.min(230, 16 + LABEL_FONT * Math.max(...panels.flatMap((p) => p.rows.map((r) => emWidth(r.name)))));
  const chart: Chart = { width: WIDTH, height: 0, shapes: [], labels: [], indicators };
  for (let i = 0; i < panels.length; i += 2) {
    const pair = panels.slice(i, i + 2);
    pair.forEach((p, j) => drawPanel(chart, indicators[i + j]!, p, j * (PANEL + PANEL_GAP), chart.height, labelWidth));
    chart.height += HEAD + ROW * Math.max(...pair.map((p) => p.rows.length + (p.more ? 1 : 0))) + 16;
  }
  return chart;
}

/** The chart as one SVG; labels as text, or as outlines when `glyphs` are given. */
export function chartSvg(chart: Chart, glyphs?: Glyphs): string {
  const { width, height } = chart;
  const text = glyphs
    ? `<defs>${[...glyphs.values()].map((g) => `<path id="g${g.id}" d="${g.d}"/>`).join('')}</defs>${chart.labels.map((l) => outlined(l, glyphs)).join('')}`
    : chart.labels.map((l) => `<text x="${l.x}" y="${l.y}" font-size="${l.size}" fill="${l.fill}"${l.end ? ' text-anchor="end"' : ''}>${xmlText(l.text)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONTS.replace(/'/g, '&apos;')}">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${chart.shapes.join('')}${text}</svg>`
  );
}

/** A panel's rows: every department in campaign order, or the largest figures when there are many. */
function panelRows(ind: Indicator, statuses: readonly DepartmentStatus[]): { rows: Row[]; more?: string } {
  const rows: Row[] = statuses.map((s) => {
    const submission = submissionOf(s);
    if (!submission) return { name: s.name, note: '未报送' };
    const value = submission.statistics.get(ind.id);
    return value === undefined ? { name: s.name, note: '未填报' } : { name: s.name, value };
  });
  if (rows.length <= MAX_ROWS) return { rows };
  const valued = rows.filter((r) => r.value !== undefined).sort((a, b) => b.value! - a.value!);
  return { rows: valued.slice(0, TOP), more: `列前${TOP}位，共${rows.length}个单位（${valued.length}个填报）` };
}

/** The 同比 column of a panel: each department's change in percent, where both rounds have the figure. */
function withYoy(panel: { rows: Row[]; more?: string; yoy?: boolean }, c: IndicatorComparison | undefined) {
  if (!c) return panel;
  const byName = new Map(c.departments.map((l) => [l.name, l.change]));
  for (const r of panel.rows) {
    const change = byName.get(r.name);
    if (change) r.yoy = change.percent === undefined ? '上年0' : `${change.percent > 0 ? '+' : change.percent < 0 ? '−' : ''}${Math.abs(change.percent).toFixed(1)}%`;
  }
  return { ...panel, yoy: true };
}

function drawPanel(chart: Chart, ind: Indicator, panel: { rows: Row[]; more?: string; yoy?: boolean }, x: number, y: number, labelWidth: number): void {
  const barMax = PANEL - labelWidth - 120 - (panel.yoy ? YOY_WIDTH : 0);
  const max = Math.max(0, ...panel.rows.map((r) => r.value ?? 0));
  const label = (l: Label) => chart.labels.push(l);
  label({ x: x + 4, y: y + 36, size: 28, fill: '#1a1a1a', text: `${ind.label}（${ind.unit}）` });
  if (panel.yoy) {
    label({ x: x + PANEL - 4, y: y + 36, size: 22, fill: '#555555', text: '同比', end: true });
    panel.rows.forEach((r, i) => {
      if (r.yoy) label({ x: x + PANEL - 4, y: y + HEAD + i * ROW + ROW / 2 + 8, size: 22, fill: '#1a1a1a', text: r.yoy, end: true });
    });
  }
  chart.shapes.push(`<line x1="${x + labelWidth}" y1="${y + HEAD - 6}" x2="${x + labelWidth}" y2="${y + HEAD + ROW * panel.rows.length}" stroke="#888" stroke-width="1"/>`);
  panel.rows.forEach((r, i) => {
    const top = y + HEAD + i * ROW;
    const mid = top + ROW / 2 + 8;
    label({ x: x + labelWidth - 10, y: mid, size: LABEL_FONT, fill: '#1a1a1a', text: r.name, end: true });
    if (r.value === undefined) {
      label({ x: x + labelWidth + 8, y: mid, size: 22, fill: '#777777', text: r.note ?? '' });
      return;
    }
    const length = max > 0 ? Math.max(r.value > 0 ? 2 : 0, (r.value / max) * barMax) : 0;
    chart.shapes.push(`<rect x="${x + labelWidth}" y="${top + 6}" width="${length.toFixed(1)}" height="${ROW - 12}" fill="#3d5f80"/>`);
    label({ x: Math.round((x + labelWidth + length + 8) * 10) / 10, y: mid, size: 22, fill: '#1a1a1a', text: figure(r.value) });
  });
  if (panel.more) label({ x: x + 4, y: y + HEAD + ROW * panel.rows.length + ROW / 2 + 8, size: 20, fill: '#777777', text: panel.more });
}

/** One character's outline, at EM units, its baseline at y = 0; x = 0 at its origin (wide) or ink (narrow). */
interface Glyph {
  d: string;
  /** Id of its path in the chart's defs. */
  id: number;
  /** Right edge of its ink. */
  right: number;
  wide: boolean;
}
export type Glyphs = Map<string, Glyph>;

const EM = 100;
const BASE = 150;
const isWide = (ch: string) => ch.codePointAt(0)! >= 0x2e80;
const NUMBER = /-?\d*\.?\d+(?:e[+-]?\d+)?/gi;

/**
 * Every character of the labels as an outline. resvg reads the whole font file (20 MB for
 * a CJK font) for each run of text it lays out, so a chart of 100 labels took 2–3 s; here
 * it lays out two runs. The wide characters (CJK) are one em each, so the outline pieces
 * of the nth lie in the nth em; the narrow ones (digits, .) are set one ideographic space
 * apart, so each is a cluster of its own. Undefined when resvg's outlines are not as expected.
 */
function outlineGlyphs(toOutlines: (svg: string) => string, labels: readonly Label[]): Glyphs | undefined {
  const chars = [...new Set(labels.flatMap((l) => [...l.text]))].filter((c) => c.trim() !== '');
  const wide = chars.filter(isWide);
  const narrow = chars.filter((c) => !isWide(c));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${EM * (chars.length * 2 + 2)}" height="${BASE * 3}" font-family="${FONTS.replace(/'/g, '&apos;')}">` +
    `<text x="0" y="${BASE}" font-size="${EM}" fill="#000001">${xmlText(wide.join(''))}</text>` +
    `<text x="0" y="${BASE * 2}" font-size="${EM}" fill="#000002">${xmlText(narrow.join('\u3000'))}</text></svg>`;
  const pieces: { run: number; d: string; xs: number[] }[] = [];
  for (const m of toOutlines(svg).matchAll(/<path\b([^>]*)\/>/g)) {
    const attrs = m[1]!;
    const run = Number(/\bfill="#00000([12])"/.exec(attrs)?.[1]);
    const d = /\bd="([^"]*)"/.exec(attrs)?.[1];
    if (!run || !d || /\btransform=/.test(attrs) || /[^MLCQZ\d\s.eE+-]/.test(d)) return undefined;
    for (const sub of d.split(/(?=M)/)) {
      const xs = (sub.match(NUMBER) ?? []).map(Number).filter((_, k) => k % 2 === 0);
      if (xs.length) pieces.push({ run, d: sub.trim(), xs });
    }
  }
  const mid = (p: { xs: number[] }) => (Math.min(...p.xs) + Math.max(...p.xs)) / 2;
  const byChar = new Map<string, { run: number; d: string; xs: number[] }[]>();
  for (const p of pieces.filter((x) => x.run === 1)) {
    const char = wide[Math.floor(mid(p) / EM)];
    if (char === undefined) return undefined;
    byChar.set(char, [...(byChar.get(char) ?? []), p]);
  }
  // Narrow characters: clusters of ink, left to right, one per character.
  const clusters: (typeof pieces)[] = [];
  let edge = -Infinity;
  for (const p of pieces.filter((x) => x.run === 2).sort((a, b) => Math.min(...a.xs) - Math.min(...b.xs))) {
    if (Math.min(...p.xs) > edge + EM / 2) clusters.push([]);
    clusters.at(-1)!.push(p);
    edge = Math.max(edge, Math.max(...p.xs));
  }
  if (clusters.length !== narrow.length) return undefined;
  clusters.forEach((c, i) => byChar.set(narrow[i]!, c));

  const glyphs: Glyphs = new Map();
  let id = 0;
  for (const [char, parts] of byChar) {
    const isW = isWide(char);
    const xs = parts.flatMap((p) => p.xs);
    const shiftX = isW ? -wide.indexOf(char) * EM : -Math.min(...xs);
    const baseline = isW ? BASE : BASE * 2;
    const d = parts
      .map((p) => p.d.replace(/(-?\d*\.?\d+(?:e[+-]?\d+)?)\s+(-?\d*\.?\d+(?:e[+-]?\d+)?)/gi, (_m, x: string, y: string) => `${round(Number(x) + shiftX)} ${round(Number(y) - baseline)}`))
      .join(' ');
    glyphs.set(char, { d, id: id++, right: Math.max(...xs) + shiftX, wide: isW });
  }
  return glyphs;
}

const round = (v: number) => Math.round(v * 100) / 100;

/** A label as outlines: wide characters one em apart, narrow ones by their ink. */
function outlined(l: Label, glyphs: Glyphs): string {
  const scale = l.size / EM;
  const placed: { id: number; x: number }[] = [];
  let cursor = 0;
  for (const ch of l.text) {
    const g = glyphs.get(ch);
    if (!g) {
      cursor += (isWide(ch) ? 1 : 0.3) * EM; // a space, or a character the font lacks
      continue;
    }
    if (g.wide) {
      placed.push({ id: g.id, x: cursor });
      cursor += EM;
    } else {
      placed.push({ id: g.id, x: cursor + 0.06 * EM });
      cursor += g.right + 0.12 * EM;
    }
  }
  const start = l.end ? l.x - cursor * scale : l.x;
  return placed
    .map((p) => `<use xlink:href="#g${p.id}" fill="${l.fill}" transform="translate(${round(start + p.x * scale)} ${l.y}) scale(${scale})"/>`)
    .join('');
}

/**
 * The chart as PNG bytes. resvg is loaded here, on first use, and reads the system's fonts
 * once, to outline the labels' characters (see outlineGlyphs); if that fails, the labels
 * are drawn as text (slower, same look).
 */
export async function renderPng(chart: Chart): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  // The one font file when it is where the system keeps it: loading every system font costs more than the drawing.
  const file = FONT_FILES.find((f) => existsSync(f));
  const font = file ? { loadSystemFonts: false, fontFiles: [file], defaultFontFamily: FONT } : { loadSystemFonts: true, defaultFontFamily: FONT };
  const glyphs = outlineGlyphs((svg) => new Resvg(svg, { font }).toString(), chart.labels);
  const svg = chartSvg(chart, glyphs);
  return new Resvg(svg, { font: glyphs ? { loadSystemFonts: false } : font, fitTo: { mode: 'width', value: chart.width } }).render().asPng();
}
