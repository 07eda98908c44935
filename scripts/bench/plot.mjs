/**
 * The scaling curve as a picture: time and peak memory of validate, status and merge against
 * the number of units, drawn as SVG and rendered to PNG with resvg (a dependency of `pack`),
 * no browser. `writeScalingPlot(results, file)` is called by the bench's scale section.
 */
import { writeFileSync } from 'node:fs';

const COMMANDS = [
  ['validate', '#1f77b4'],
  ['status', '#2ca02c'],
  ['merge', '#d62728'],
];

/** One panel: a quantity against units, one line per command, a dashed line for a linear growth from the smallest run. */
function panel(results, key, title, unit, x0, y0, w, h) {
  const units = results.map((r) => r.units);
  const maxX = Math.max(...units);
  const values = results.flatMap((r) => COMMANDS.map(([c]) => r[c]?.[key]).filter((v) => v !== undefined));
  const maxY = Math.max(...values) * 1.1;
  const px = (u) => x0 + (u / maxX) * w;
  const py = (v) => y0 + h - (v / maxY) * h;
  const out = [
    `<clipPath id="clip-${key}"><rect x="${x0}" y="${y0}" width="${w}" height="${h}"/></clipPath>`,
    `<text x="${x0 + w / 2}" y="${y0 - 14}" font-size="15" text-anchor="middle" font-weight="bold">${title}</text>`,
  ];
  out.push(`<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#333"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + h}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i;
    out.push(`<text x="${x0 - 6}" y="${py(v) + 4}" font-size="11" text-anchor="end">${v >= 100 ? Math.round(v) : v.toFixed(1)}</text>`);
    out.push(`<line x1="${x0}" y1="${py(v)}" x2="${x0 + w}" y2="${py(v)}" stroke="#ddd"/>`);
  }
  for (const u of units) out.push(`<text x="${px(u)}" y="${y0 + h + 16}" font-size="11" text-anchor="middle">${u}</text>`);
  out.push(`<text x="${x0 + w / 2}" y="${y0 + h + 34}" font-size="12" text-anchor="middle">units</text>`);
  out.push(`<text x="${x0 - 44}" y="${y0 + h / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 ${x0 - 44} ${y0 + h / 2})">${unit}</text>`);
  for (const [c, colour] of COMMANDS) {
    const points = results.filter((r) => r[c]?.[key] !== undefined).map((r) => [px(r.units), py(r[c][key])]);
    if (!points.length) continue;
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map((p) => p.join(',')).join(' ')}"/>`);
    for (const [x, y] of points) out.push(`<circle cx="${x}" cy="${y}" r="3" fill="${colour}"/>`);
    // Linear from the second run (300 units, past start-up's share): where the line would be if the cost per unit stayed.
    const from = results.filter((r) => r[c]?.[key] !== undefined)[1];
    if (key === 'seconds' && from)
      out.push(`<line x1="${px(from.units)}" y1="${py(from[c][key])}" x2="${px(maxX)}" y2="${py((from[c][key] / from.units) * maxX)}" stroke="${colour}" stroke-dasharray="4 4" opacity="0.6" clip-path="url(#clip-${key})"/>`);
  }
  return out.join('');
}

/** Writes the PNG of `results` ({ units, validate: { seconds, mib }, status: …, merge: … }[]) to `file`. */
export async function writeScalingPlot(results, file, caption) {
  const width = 960;
  const height = 420;
  const legend = COMMANDS.map(([c, colour], i) => `<rect x="${330 + i * 110}" y="${height - 30}" width="14" height="4" fill="${colour}"/><text x="${350 + i * 110}" y="${height - 24}" font-size="13">${c}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Noto Sans, sans-serif">
<rect width="100%" height="100%" fill="white"/>
${panel(results, 'seconds', 'Wall time, first run (dashed: linear from 300 units)', 'seconds', 80, 50, 360, 270)}
${panel(results, 'mib', 'Peak memory', 'MiB', 560, 50, 360, 270)}
${legend}<text x="${width - 10}" y="${height - 8}" font-size="10" text-anchor="end" fill="#666">${caption}</text>
</svg>`;
  const { Resvg } = await import('@resvg/resvg-js');
  writeFileSync(file, new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng());
}
