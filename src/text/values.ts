/**
 * How clerks write numbers and dates, and what each way means. Numbers are read
 * from the source text, never from YAML's typed value, so `1.23450`, `1,234` and
 * `99999999999999999999` are judged as typed.
 */
import type { MessageCode, MessageParams } from '../messages/index.js';

/** What reading a figure needs to know of its indicator (campaign/schema.ts's Indicator has it). */
export interface FigureKind {
  label: string;
  unit: string;
  kind: 'count' | 'amount';
}

/** Amounts carry at most 4 decimals (万元 to the yuan): summing in 1/10000 units is exact. */
export const AMOUNT_SCALE = 10000;

/** The exact sum of reported values; undefined when there are none. */
export function exactSum(kind: FigureKind['kind'], values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  if (kind === 'count') return values.reduce((a, b) => a + b, 0);
  const units = values.reduce((a, b) => a + Math.round(b * AMOUNT_SCALE), 0);
  return units / AMOUNT_SCALE;
}

export type Reading<T> = { value: T } | { absent: true } | { problem: MessageCode; params: MessageParams };

const FULLWIDTH = /[\uFF01-\uFF5E\u3000]/g;
/** Full-width ASCII (０-９, ．, －, ，) to half-width; U+3000 to a space. */
export function toHalfWidth(s: string): string {
  return s.replace(FULLWIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** Read one statistics figure as typed. */
export function readFigure(raw: string, indicator: FigureKind): Reading<number> {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null') return { absent: true };
  const label = indicator.label;
  const unit = indicator.unit;
  const half = toHalfWidth(s).trim();
  if (half !== s) {
    const inner = readFigure(half, indicator);
    if ('value' in inner) return { problem: 'value/fullwidth-digits', params: { label, value: s, number: half } };
    if ('problem' in inner) return inner;
  }
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) return { problem: 'value/thousands-separator', params: { label, number: s.replace(/,/g, '') } };
  // 0x10, 0o7, 0b101: YAML reads them as numbers in another base; a table holds decimal figures.
  if (/^0[xob][0-9a-f]+$/i.test(s)) return { problem: 'value/not-decimal', params: { label, value: s } };
  if (/^-\s*\d/.test(s)) return { problem: 'value/negative', params: { label, value: s } };
  const withUnit = /^(\d+(?:\.\d+)?)\s*([^\d\s.].*)$/.exec(s);
  if (withUnit && !/^\d+(\.\d+)?e[+-]?\d+$/i.test(s)) {
    const [, digits, rest] = withUnit as unknown as [string, string, string];
    // 罚没款 typed in 元 when the column is in 万元: give the converted figure.
    const number = rest.trim() === '元' && unit === '万元' ? String(Number(digits) / 10000) : digits;
    if (/^[\p{L}%‰]/u.test(rest)) return { problem: 'value/unit-in-number', params: { label, unit, number } };
  }
  if (!/^(\d+(\.\d+)?|\.\d+)$/.test(s)) return { problem: 'value/not-a-number', params: { label, value: s } };
  const [whole, fraction = ''] = s.split('.');
  const decimals = fraction.replace(/0+$/, '').length;
  const value = Number(s);
  if (!Number.isSafeInteger(Math.floor(value)) || (whole ?? '').replace(/^0+/, '').length > 15)
    return { problem: 'value/too-large', params: { label, value: s } };
  if (indicator.kind === 'count' && decimals > 0) return { problem: 'value/not-integer', params: { label, unit, value: s } };
  if (decimals > 4) return { problem: 'value/too-many-decimals', params: { label, unit, value: s } };
  return { value };
}

/** Read an amount outside the statistics (a case's fine), with the same rules as an amount figure. */
export function readAmount(raw: string, label: string): Reading<number> {
  return readFigure(raw, { label, unit: '万元', kind: 'amount' });
}

const DATE_FORMS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2})?)?$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: (\d{1,2}):(\d{2})(?::\d{2})?)?$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})(?: (\d{1,2}):(\d{2})(?::\d{2})?)?$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?(?:\s*(\d{1,2})[:时](\d{2})分?)?$/,
];

/** A date as clerks write it → `YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm` when a time is given. */
export function readDate(raw: string, key: string): Reading<string> {
  const s = toHalfWidth(raw).trim().replace(/\s+/g, ' ');
  if (s === '' || s === '~' || s === 'null') return { absent: true };
  for (const form of DATE_FORMS) {
    const m = form.exec(s);
    if (!m) continue;
    const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map((x) => (x === undefined ? undefined : Number(x)));
    const day = `${y}-${pad(mo!)}-${pad(d!)}`;
    if (!isRealDay(day) || (h ?? 0) > 23 || (mi ?? 0) > 59) return { problem: 'value/date-invalid', params: { key, value: raw.trim() } };
    return { value: h === undefined ? day : `${day}T${pad(h)}:${pad(mi!)}` };
  }
  return { problem: 'value/date', params: { key, value: raw.trim() } };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * True for a day that exists, given as YYYY-MM-DD (anything after is not looked at):
 * 2024-02-29 yes, 2024-02-30 no (JavaScript would read it as 3 月 1 日). For dates typed in a
 * submission and the campaign's own (schema.ts).
 */
export function isRealDay(day: string): boolean {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Mobile (11 digits) or landline with area code; extensions allowed. Loose on purpose: only obvious typos are flagged. */
export function isPlausiblePhone(raw: string): boolean {
  const s = toHalfWidth(raw).replace(/[\s()（）-]/g, '').replace(/(转|ext\.?|#)\d+$/i, '');
  return /^(\+?86)?1\d{10}$/.test(s) || /^0\d{9,11}$/.test(s) || /^\d{7,8}$/.test(s);
}

/** Edit distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a typo's distance, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const limit = Math.max(1, Math.floor(Math.min(w.length, (best ?? '').length) / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
