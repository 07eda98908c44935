/**
 * What the 总结 draft's chart costs, in one fresh process (`node scripts/bench/chart-cost.mjs`):
 * importing resvg, drawing the chart of the bundled district (7 units × 6 indicators),
 * rendering it with the labels outlined once (what pack does), and, for comparison, with
 * every label left as text for resvg to lay out. Prints one JSON line (milliseconds).
 */
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { loadCampaign } = await import(`${ROOT}dist/campaign.js`);
const { drawChart, chartSvg, renderPng } = await import(`${ROOT}dist/chart.js`);
const campaign = await loadCampaign();
const totals = Object.fromEntries(campaign.indicators.map((i) => [i.id, 1]));
const statuses = campaign.departments.map((d, k) => ({
  id: d.id,
  name: d.name,
  state: k === 4 ? 'missing' : 'submitted',
  checked: { submission: { statistics: new Map(campaign.indicators.map((i, j) => [i.id, (k + 1) * (j + 3) * 7])) } },
}));
const time = async (f) => {
  const t = performance.now();
  const value = await f();
  return [performance.now() - t, value];
};
const [importMs, { Resvg }] = await time(() => import('@resvg/resvg-js'));
const [drawMs, chart] = await time(() => drawChart(campaign, statuses, totals));
const [renderMs, png] = await time(() => renderPng(chart));
const [textMs] = await time(() => new Resvg(chartSvg(chart), { font: { loadSystemFonts: true } }).render().asPng());
const round = (v) => Math.round(v);
console.log(JSON.stringify({ importMs: round(importMs), drawMs: round(drawMs * 10) / 10, renderMs: round(renderMs), renderAsTextMs: round(textMs), labels: chart.labels.length, pngBytes: png.length }));
