/**
 * The bar chart of the 主要成效 section: the main indicators by department, one small panel
 * per indicator (each with its own scale: 人次 and 件 do not share an axis). Drawn as SVG
 * here and rendered to PNG in-process by resvg (a prebuilt binary from the registry, for
 * Windows too), which is imported only when a chart is drawn.
 *
 * A department that did not report, or left the figure empty, gets words, never a bar of 0.
 */
import type { Campaign, Indicator } from '../campaign/schema.js';
import type { DepartmentStatus } from '../model.js';
import { emWidth, xmlText } from './docx.js';
import { figure } from './text.js';

export interface Chart {
  svg: string;
  width: number;
  height: number;
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
}

/** The chart's SVG, or undefined when no indicator was reported by anyone. */
export function drawChart(campaign: Campaign, statuses: readonly DepartmentStatus[], totals: Record<string, number | undefined>): Chart | undefined {
  const indicators = mainIndicators(campaign, totals);
  if (indicators.length === 0) return undefined;
  const panels = indicators.map((ind) => panelRows(ind, statuses));
  const labelWidth = Math.min(230, 16 + LABEL_FONT * Math.max(...panels.flatMap((p) => p.rows.map((r) => emWidth(r.name)))));
  const parts: string[] = [];
  let y = 0;
  for (let i = 0; i < panels.length; i += 2) {
    const pair = panels.slice(i, i + 2);
    const height = HEAD + ROW * Math.max(...pair.map((p) => p.rows.length + (p.more ? 1 : 0))) + 16;
    pair.forEach((p, j) => parts.push(panelSvg(indicators[i + j]!, p, j * (PANEL + PANEL_GAP), y, labelWidth)));
    y += height;
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="${FONTS.replace(/'/g, '&apos;')}">` +
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>${parts.join('')}</svg>`;
  return { svg, width: WIDTH, height: y, indicators };
}

/** A panel's rows: every department in campaign order, or the largest figures when there are many. */
function panelRows(ind: Indicator, statuses: readonly DepartmentStatus[]): { rows: Row[]; more?: string } {
  const rows: Row[] = statuses.map((s) => {
    const submission = s.state === 'submitted' || s.state === 'late' ? s.checked?.submission : undefined;
    if (!submission) return { name: s.name, note: '未报送' };
    const value = submission.statistics.get(ind.id);
    return value === undefined ? { name: s.name, note: '未填报' } : { name: s.name, value };
  });
  if (rows.length <= MAX_ROWS) return { rows };
  const valued = rows.filter((r) => r.value !== undefined).sort((a, b) => b.value! - a.value!);
  return { rows: valued.slice(0, TOP), more: `列前${TOP}位，共${rows.length}个单位（${valued.length}个填报）` };
}

function panelSvg(ind: Indicator, panel: { rows: Row[]; more?: string }, x: number, y: number, labelWidth: number): string {
  const barMax = PANEL - labelWidth - 120;
  const max = Math.max(0, ...panel.rows.map((r) => r.value ?? 0));
  const out = [
    `<text x="${x + 4}" y="${y + 36}" font-size="28" fill="#1a1a1a">${xmlText(`${ind.label}（${ind.unit}）`)}</text>`,
    `<line x1="${x + labelWidth}" y1="${y + HEAD - 6}" x2="${x + labelWidth}" y2="${y + HEAD + ROW * panel.rows.length}" stroke="#888" stroke-width="1"/>`,
  ];
  panel.rows.forEach((r, i) => {
    const top = y + HEAD + i * ROW;
    const mid = top + ROW / 2 + 8;
    out.push(`<text x="${x + labelWidth - 10}" y="${mid}" font-size="${LABEL_FONT}" text-anchor="end" fill="#1a1a1a">${xmlText(r.name)}</text>`);
    if (r.value === undefined) {
      out.push(`<text x="${x + labelWidth + 8}" y="${mid}" font-size="22" fill="#777">${r.note}</text>`);
      return;
    }
    const length = max > 0 ? Math.max(r.value > 0 ? 2 : 0, (r.value / max) * barMax) : 0;
    out.push(`<rect x="${x + labelWidth}" y="${top + 6}" width="${length.toFixed(1)}" height="${ROW - 12}" fill="#3d5f80"/>`);
    out.push(`<text x="${(x + labelWidth + length + 8).toFixed(1)}" y="${mid}" font-size="22" fill="#1a1a1a">${figure(r.value)}</text>`);
  });
  if (panel.more)
    out.push(`<text x="${x + 4}" y="${y + HEAD + ROW * panel.rows.length + ROW / 2 + 8}" font-size="20" fill="#777">${xmlText(panel.more)}</text>`);
  return out.join('');
}

/** The chart as PNG bytes. resvg is loaded here, on first use, and reads the system's fonts. */
export async function renderPng(chart: Chart): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(chart.svg, { font: { loadSystemFonts: true, defaultFontFamily: FONT }, fitTo: { mode: 'width', value: chart.width } });
  return resvg.render().asPng();
}
