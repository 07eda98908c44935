/** How clerks type numbers and dates: values.ts, read as typed. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Indicator } from '../../src/campaign/schema.js';
import { setLang } from '../../src/messages/index.js';
import { closest, editDistance, isPlausiblePhone, readAmount, readDate, readFigure, toHalfWidth } from '../../src/text/values.js';

beforeAll(() => setLang('zh'));

const inspectors: Indicator = { id: 'inspectors', label: '出动执法人员', unit: '人次', kind: 'count', group: '执法检查', warn_above: 100000 };
const fines: Indicator = { id: 'fines', label: '罚没款', unit: '万元', kind: 'amount', group: '查处案件', warn_above: 1000 };

describe('toHalfWidth', () => {
  it.each([
    ['１２３', '123'],
    ['１．５', '1.5'],
    ['－３', '-3'],
    ['１，２３４', '1,234'],
    ['\u3000１２\u3000', ' 12 '],
    ['ａｂｃＡＢＣ', 'abcABC'],
    ['：', ':'],
    ['区林业局 12', '区林业局 12'],
  ])('%j → %j', (input, expected) => {
    expect(toHalfWidth(input)).toBe(expected);
  });
});

describe('readFigure', () => {
  it.each([
    ['12', inspectors, 12],
    ['0', inspectors, 0],
    ['0012', inspectors, 12],
    [' 7 ', inspectors, 7],
    ['1.5', fines, 1.5],
    ['63.4825', fines, 63.4825],
    ['1.23450', fines, 1.2345], // trailing zeros are not decimals
    ['.5', fines, 0.5],
    ['999999999999999', inspectors, 999999999999999],
  ])('%j for %s is %d', (raw, indicator, value) => {
    expect(readFigure(raw, indicator)).toEqual({ value });
  });

  it.each(['', '   ', '~', 'null'])('%j is "not reported", never 0', (raw) => {
    expect(readFigure(raw, inspectors)).toEqual({ absent: true });
  });

  it.each([
    ['12人次', inspectors, 'value/unit-in-number', { number: '12', unit: '人次' }],
    ['12 人次', inspectors, 'value/unit-in-number', { number: '12' }],
    ['3.5万元', fines, 'value/unit-in-number', { number: '3.5', unit: '万元' }],
    // 罚没款 is in 万元: 12 元 is 0.0012 万元, and the message says so.
    ['12元', fines, 'value/unit-in-number', { number: '0.0012', unit: '万元' }],
    ['１２元', fines, 'value/unit-in-number', { number: '0.0012' }],
    ['１２', inspectors, 'value/fullwidth-digits', { value: '１２', number: '12' }],
    ['１．５', fines, 'value/fullwidth-digits', { number: '1.5' }],
    ['1,234', inspectors, 'value/thousands-separator', { number: '1234' }],
    ['12,345,678', inspectors, 'value/thousands-separator', { number: '12345678' }],
    ['1，234', inspectors, 'value/thousands-separator', { number: '1234' }],
    ['-3', inspectors, 'value/negative', { value: '-3' }],
    ['-0.5', fines, 'value/negative', {}],
    ['－３', inspectors, 'value/negative', {}],
    ['2.5', inspectors, 'value/not-integer', { value: '2.5', unit: '人次' }],
    ['.5', inspectors, 'value/not-integer', {}],
    ['99999999999999999999', inspectors, 'value/too-large', { value: '99999999999999999999' }],
    ['9007199254740993', inspectors, 'value/too-large', {}],
    ['1234567890123456', inspectors, 'value/too-large', {}],
    ['1234567890123456.5', fines, 'value/too-large', {}],
    ['1.23456', fines, 'value/too-many-decimals', { value: '1.23456', unit: '万元' }],
    ['abc', inspectors, 'value/not-a-number', { value: 'abc' }],
    ['约12', inspectors, 'value/not-a-number', {}],
  ] as const)('%j for %s → %s', (raw, indicator, problem, params) => {
    const reading = readFigure(raw, indicator);
    expect(reading).toMatchObject({ problem, params: { label: indicator.label, ...params } });
  });

  it('reads a case fine like an amount figure', () => {
    expect(readAmount('2.35', '罚没款（万元）')).toEqual({ value: 2.35 });
    expect(readAmount('2万元', '罚没款（万元）')).toMatchObject({ problem: 'value/unit-in-number', params: { number: '2' } });
    expect(readAmount('1.00001', '罚没款（万元）')).toMatchObject({ problem: 'value/too-many-decimals' });
  });
});

describe('readDate', () => {
  it.each([
    ['2024-11-10', '2024-11-10'],
    ['2024/11/10', '2024-11-10'],
    ['2024.11.10', '2024-11-10'],
    ['2024年11月10日', '2024-11-10'],
    ['2024年11月10号', '2024-11-10'],
    ['2024年1月5日', '2024-01-05'],
    ['2024-1-5', '2024-01-05'],
    ['２０２４年１１月１０日', '2024-11-10'],
    [' 2024-11-10 ', '2024-11-10'],
    ['2024-11-10 16:30', '2024-11-10T16:30'],
    ['2024-11-10T16:30', '2024-11-10T16:30'],
    ['2024/11/10 9:05', '2024-11-10T09:05'],
    ['2024年11月10日 16:30', '2024-11-10T16:30'],
    ['2024年11月10日16时30分', '2024-11-10T16:30'],
    ['2024-02-29', '2024-02-29'],
  ])('%j → %j', (raw, value) => {
    expect(readDate(raw, 'submitted_at')).toEqual({ value });
  });

  it.each(['', '~', 'null'])('%j is absent', (raw) => {
    expect(readDate(raw, 'submitted_at')).toEqual({ absent: true });
  });

  it.each(['2024/11/31', '2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-11-10 24:00', '2024-11-10 12:60'])(
    '%j is not a real date',
    (raw) => {
      expect(readDate(raw, 'submitted_at')).toEqual({ problem: 'value/date-invalid', params: { key: 'submitted_at', value: raw } });
    },
  );

  it.each(['11月10日', '20241110', '10/11/2024', '上周五', '2024-11'])('%j is not a date form we know', (raw) => {
    expect(readDate(raw, 'submitted_at')).toMatchObject({ problem: 'value/date', params: { key: 'submitted_at', value: raw } });
  });
});

describe('closest (did-you-mean)', () => {
  const keys = ['department', 'filled_by', 'reviewed_by', 'phone', 'submitted_at', 'statistics', 'tasks', 'cases', 'summary', 'summary_file', 'materials'];
  it.each([
    ['filed_by', 'filled_by'],
    ['fill_by', 'filled_by'],
    ['Phone', 'phone'],
    ['statistic', 'statistics'],
    ['task', 'tasks'],
    ['summery', 'summary'],
    ['submited_at', 'submitted_at'],
    ['departmnet', 'department'],
  ])('%j → %j', (typo, suggestion) => {
    expect(closest(typo, keys)).toBe(suggestion);
  });

  it.each(['xyz', 'remarks', '备注', 'a'])('%j has no suggestion', (word) => {
    expect(closest(word, keys)).toBeUndefined();
  });

  it('suggests an indicator id', () => {
    expect(closest('inspector', ['inspectors', 'platforms_checked', 'fines'])).toBe('inspectors');
  });

  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('isPlausiblePhone', () => {
  it.each(['13955966535', '0559-8510026', '0559 8510026', '(0559)8510026', '+86 139 5596 6535', '0559-8510026转801', '8510026', '１３９５５９６６５３５'])(
    '%j is a phone number',
    (raw) => expect(isPlausiblePhone(raw)).toBe(true),
  );
  it.each(['1395596653', '12345', '王静辉', '0559-85', '139559665351'])('%j is not', (raw) => expect(isPlausiblePhone(raw)).toBe(false));
});
