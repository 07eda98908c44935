/** Beijing time whatever the machine's zone; --as-of; time left and overdue. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLang } from '../../src/messages/index.js';
import { describeRemaining } from '../../src/reporters/status.js';
import { beijingInstant, formatBeijing, formatBeijingDate, isoDateBeijing, parseAsOf, splitDuration } from '../../src/status/time.js';

beforeAll(() => setLang('zh'));

const DEADLINE = '2024-11-12T23:59:59+08:00';
const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('parseAsOf', () => {
  it.each([
    ['2024-11-12', '2024-11-11T16:00:00.000Z'], // a date alone is its start, in Beijing
    ['2024-11-12T18:00', '2024-11-12T10:00:00.000Z'],
    ['2024-11-12 18:00', '2024-11-12T10:00:00.000Z'],
    ['2024-11-12T18:00:30', '2024-11-12T10:00:30.000Z'],
    ['2024/11/12 18:00', '2024-11-12T10:00:00.000Z'],
    ['2024年11月12日 18:00', '2024-11-12T10:00:00.000Z'],
    ['2024年11月12日', '2024-11-11T16:00:00.000Z'],
    ['２０２４-１１-１２', '2024-11-11T16:00:00.000Z'],
    ['2024-11-12T18:00+08:00', '2024-11-12T10:00:00.000Z'],
    ['2024-11-12T05:00-05:00', '2024-11-12T10:00:00.000Z'],
    ['2024-11-12T10:00Z', '2024-11-12T10:00:00.000Z'],
    ['2024-11-12T10:00:00.000Z', '2024-11-12T10:00:00.000Z'],
  ])('%j → %s', (value, iso) => {
    expect(parseAsOf(value)?.toISOString()).toBe(iso);
  });

  it.each(['', 'now', 'tomorrow', '12/11/2024', '2024-02-30', '2024-13-01', '2024-11-12T24:00', '2024-11-12T18:60', '2024-11-12T25:00+08:00'])(
    '%j is refused',
    (value) => {
      expect(parseAsOf(value)).toBeUndefined();
    },
  );

  it.each(['UTC', 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])('reads a wall time as Beijing time under TZ=%s', (tz) => {
    process.env.TZ = tz;
    expect(parseAsOf('2024-11-12T18:00')?.toISOString()).toBe('2024-11-12T10:00:00.000Z');
    expect(parseAsOf('2024-03-10T02:30')?.toISOString()).toBe('2024-03-09T18:30:00.000Z'); // a DST gap in New York
  });
});

describe('formatting in Beijing time', () => {
  it.each(['UTC', 'America/New_York', 'Asia/Shanghai', 'Europe/London'])('is the same under TZ=%s', (tz) => {
    process.env.TZ = tz;
    expect(formatBeijing(DEADLINE)).toBe('2024年11月12日 23:59');
    expect(formatBeijing('2024-11-12T16:30:00Z')).toBe('2024年11月13日 00:30');
    expect(formatBeijingDate('2024-11-12T16:30:00Z')).toBe('2024年11月13日');
    expect(isoDateBeijing(Date.parse('2024-11-12T16:30:00Z'))).toBe('2024-11-13');
    expect(isoDateBeijing(Date.parse('2024-11-12T15:59:59Z'))).toBe('2024-11-12');
    expect(beijingInstant('2024-11-12').toISOString()).toBe('2024-11-11T16:00:00.000Z');
    expect(beijingInstant('2024-11-12T16:30').toISOString()).toBe('2024-11-12T08:30:00.000Z');
  });
});

describe('time left', () => {
  const left = (asOf: string) => Date.parse(DEADLINE) - parseAsOf(asOf)!.getTime();

  it('splits a duration into days, hours and minutes', () => {
    expect(splitDuration(((3 * 24 + 5) * 60 + 7) * 60_000 + 59_000)).toEqual({ days: 3, hours: 5, minutes: 7 });
    expect(splitDuration(-(2 * 24 + 1) * 3_600_000)).toEqual({ days: 2, hours: 1, minutes: 0 });
    expect(splitDuration(0)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });

  it.each([
    ['2024-11-09T18:00', '剩余 3 天 5 小时'],
    ['2024-11-10T12:00', '剩余 2 天 11 小时'],
    ['2024-11-12T18:00', '剩余 5 小时 59 分钟'],
    ['2024-11-12T23:59:59', '剩余 0 小时 0 分钟'],
    ['2024-11-13T00:00', '已逾期 0 天 0 小时'],
    ['2024-11-15T09:00', '已逾期 2 天 9 小时'],
  ])('at %s: %s', (asOf, text) => {
    expect(describeRemaining(left(asOf))).toBe(text);
  });
});
