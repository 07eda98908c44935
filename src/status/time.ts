/**
 * Time in Beijing, whatever the machine's time zone. China has no daylight saving,
 * so +08:00 is exact for every date and no time-zone database is needed.
 */
import { toHalfWidth } from '../text/values.js';

const OFFSET_MS = 8 * 3600_000;

/** Parts of an instant as a wall clock in Beijing. */
export function beijingParts(at: Date | string | number) {
  const d = new Date(new Date(at).getTime() + OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 2024年11月12日 23:59 */
export function formatBeijing(at: Date | string | number): string {
  const p = beijingParts(at);
  return `${p.year}年${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}

/** 2024年11月12日 */
export function formatBeijingDate(at: Date | string | number): string {
  const p = beijingParts(at);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** YYYY-MM-DD in Beijing. */
export function isoDateBeijing(at: Date | string | number): string {
  const p = beijingParts(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `2024-11-10` or `2024-11-10T16:30` (Beijing wall time) → the instant. A date alone is its start. */
export function beijingInstant(local: string): Date {
  const [day, time = '00:00'] = local.split('T');
  return new Date(`${day}T${time.length === 5 ? `${time}:00` : time}+08:00`);
}

/**
 * `--as-of`: an instant with an offset, or a Beijing wall time
 * (2024-11-12, 2024-11-12T18:00, 2024-11-12 18:00, 2024年11月12日 18:00).
 */
export function parseAsOf(value: string): Date | undefined {
  const s = toHalfWidth(value).trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(s) && /^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1000 ? undefined : d;
  }
  // The forms submitted_at takes: 2024-11-12 18:00, 2024/11/12 18:00, 2024年11月12日 18时00分.
  const m = /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})[日号]?(?:(?:[T ]|(?<=[日号]))\s*(\d{1,2})[:时](\d{2})(?::(\d{2})|分)?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] = m;
  // A year before 1000 is a typing slip, and no date any file system or zip can hold.
  if (+y! < 1000) return undefined;
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +sec) - OFFSET_MS);
  const back = beijingParts(date);
  if (back.month !== +mo! || back.day !== +d! || +h > 23 || +mi > 59) return undefined;
  return date;
}

/** Whole days and hours of a duration, for 剩余 3 天 5 小时 / 已逾期 2 天. */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number } {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  return { days, hours, minutes };
}
