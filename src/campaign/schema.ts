import * as z from 'zod';
import { t, type MessageCode, type MessageParams } from '../messages/index.js';
import { isRealDay } from '../text/values.js';
import { NOT_XML } from '../text/xml-text.js';

/** A message of the catalogue, rendered when zod reports it (in the language of the run). */
const say = (code: MessageCode, params: MessageParams = {}) => ({ error: () => t(code, params) });

/** A stable ASCII identifier: lower-case letters, digits and underscores, starting with a letter. */
const id = z.string().regex(/^[a-z][a-z0-9_]*$/, say('campaign/id-format'));
const text = z.string().trim().min(1);

/** An exact instant with an explicit offset, e.g. 2024-11-12T23:59:59+08:00. */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]\d{2}:\d{2})$/, say('campaign/instant-format'))
  .refine((s) => isRealDay(s) && !Number.isNaN(Date.parse(s)), say('campaign/not-a-day'));
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, say('campaign/date-format'))
  .refine(isRealDay, say('campaign/not-a-day'));

/** A unit that has to report, with the person to call. */
export const departmentSchema = z.strictObject({
  id,
  /** The name as printed in the table, e.g. 区市场监管局. */
  name: text,
  /** The full official name (发文机关署名), e.g. 黄山市公安局黄山分局: for 署名, 填报单位, titles and file names; `name` when absent. */
  full_name: text.optional(),
  /** Other names a clerk may write in `department:` (full official name, etc.). */
  aliases: z.array(text).default([]),
  contact: z.strictObject({ name: text, phone: text }),
});

/** One numbered task of the plan. */
export const taskSchema = z.strictObject({
  no: z.number().int().positive(),
  /** One of the campaign's categories (准入关 …). */
  category: text,
  title: text,
  text: text,
  /** Responsible department ids, or the single word `all` (各有关单位). */
  departments: z.union([z.literal('all'), z.array(id).min(1)]),
});

/** One column of the statistics table. */
export const indicatorSchema = z.strictObject({
  id,
  /** The header label as printed in the template; also how merge finds the column. */
  label: text,
  /**
   * Other header labels that mean this indicator in a template (罚没金额 for 罚没款). The
   * usual decorations (其中：, a trailing 数, punctuation, units, letter case) need no alias.
   */
  aliases: z.array(text).optional(),
  unit: text,
  /** count: non-negative integer; amount: non-negative decimal with at most `decimals` places. */
  kind: z.enum(['count', 'amount']),
  /** The merged header above the label. */
  group: text,
  /** Values above this get a plausibility warning (e.g. an amount typed in 元 instead of 万元). */
  warn_above: z.number().positive().optional(),
  /** Shown in `report init` as guidance. */
  hint: z.string().optional(),
  /**
   * Figures of another nature told apart in the 总结: these departments' figures are also said
   * on their own, e.g. 立案65件（其中公安机关立案14件） for criminal cases among administrative ones.
   */
  nature: z.array(z.strictObject({ kind: text, label: text, departments: z.array(id).min(1) })).optional(),
  /** The task category (关) the figure belongs to: the 总结 states it under that 关, not among the overall figures. */
  category: text.optional(),
});

/** A side of a rule: indicator ids and numbers joined by `+`, e.g. `cases_closed + cases_transferred`. */
const expression = z.string().regex(/^\s*[a-z0-9_.]+(\s*\+\s*[a-z0-9_.]+)*\s*$/, say('campaign/expression'));

/** A cross-field check in the style of DHIS2 validation rules. */
export const ruleSchema = z.strictObject({
  id,
  left: expression,
  op: z.enum(['<=', '<', '>=', '>', '==', '!=']),
  right: expression,
  severity: z.enum(['error', 'warning']),
  /** Chinese message shown when the rule fails. */
  message: text,
  /** English message for --lang en; falls back to `message`. */
  message_en: z.string().optional(),
});

/** An earlier round (last year's merged or hand-filled statistics table), for 同比 and history warnings. */
export const previousSchema = z.strictObject({
  /** The workbook, relative to the campaign file. */
  file: text,
  /** What the round is called in messages and headings, e.g. 2023年. */
  period: text,
});

/** When validate warns that a figure is far from history (see src/history/warnings.ts). */
export const historySchema = z.strictObject({
  /** A figure more than this many times its department's last-round figure (or less than 1/ratio) is questioned. */
  ratio: z.number().gt(1).default(10),
  /** …but only when the larger of the two is at least this much: 1 → 12 is no slip. */
  floor: z.number().nonnegative().default(20),
  /** A figure this many standard deviations from this round's departments' mean is questioned… */
  z: z.number().positive().default(3),
  /** …when at least this many departments reported the indicator. */
  min_departments: z.number().int().min(3).default(10),
});

export const campaignSchema = z
  .strictObject({
    id,
    title: text,
    /** Title of the statistics table (the plan's attachment). */
    table_title: text,
    /** The unit that collects and merges, e.g. 黄山区市场监督管理局. */
    issuer: text,
    period: z.strictObject({ start: isoDate, end: isoDate }),
    deadline: instant,
    /** What each department has to send, as the plan lists it. */
    deliverables: z.array(text).min(1),
    categories: z.array(text).min(1),
    departments: z.array(departmentSchema).min(1),
    tasks: z.array(taskSchema).min(1),
    indicators: z.array(indicatorSchema).min(1),
    rules: z.array(ruleSchema).default([]),
    /** Earlier rounds, newest first or in any order (sorted by period). */
    previous: z.array(previousSchema).optional(),
    history: historySchema.optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], code: MessageCode, params: MessageParams = {}) => ctx.addIssue({ code: 'custom', path, message: t(code, params) });
    const dup = (values: string[], path: (string | number)[], what: MessageCode) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v)) issue([...path, i], 'campaign/duplicate', { what: t(what), value: v });
        seen.add(v);
      });
    };
    dup(c.indicators.map((d) => d.id), ['indicators'], 'campaign/what-indicator-id');
    dup(c.indicators.map((d) => d.label), ['indicators'], 'campaign/what-indicator-label');
    dup(c.tasks.map((t) => String(t.no)), ['tasks'], 'campaign/what-task-no');
    // Every way of naming a department (id, name, alias) names one department only.
    const named = new Map<string, string>();
    c.departments.forEach((d, i) => {
      const spellings: [string, (string | number)[]][] = [[d.id, ['id']], [d.name, ['name']], ...d.aliases.map((a, j): [string, (string | number)[]] => [a, ['aliases', j]])];
      for (const [value, at] of spellings) {
        const owner = named.get(value);
        if (owner !== undefined && owner !== d.id) issue(['departments', i, ...at], 'campaign/duplicate-name', { value, other: owner });
        named.set(value, d.id);
      }
      // The name becomes a file name (init's blanks, pack's folders): one that every system accepts.
      if (/[\\/:*?"<>|\u0000-\u001f]/.test(d.name) || /^\.+$/.test(d.name)) issue(['departments', i, 'name'], 'campaign/file-name', { value: d.name });
    });
    const deptIds = new Set(c.departments.map((d) => d.id));
    const indIds = new Set(c.indicators.map((d) => d.id));
    c.indicators.forEach((ind, i) => {
      // A submission key that could reach an object's prototype is refused there: it could never be reported.
      if (['constructor', 'prototype'].includes(ind.id)) issue(['indicators', i, 'id'], 'campaign/reserved-id', { value: ind.id });
    });
    if (c.period.start > c.period.end) issue(['period', 'end'], 'campaign/period-order', { start: c.period.start, end: c.period.end });
    c.tasks.forEach((task, i) => {
      if (!c.categories.includes(task.category)) issue(['tasks', i, 'category'], 'campaign/unknown-category', { value: task.category });
      if (task.departments !== 'all')
        task.departments.forEach((d, j) => {
          if (!deptIds.has(d)) issue(['tasks', i, 'departments', j], 'campaign/unknown-department', { value: d });
        });
    });
    c.indicators.forEach((ind, i) => {
      if (ind.category !== undefined && !c.categories.includes(ind.category)) issue(['indicators', i, 'category'], 'campaign/unknown-category', { value: ind.category });
    });
    c.indicators.forEach((ind, i) =>
      ind.nature?.forEach((n, j) =>
        n.departments.forEach((d, k) => {
          if (!deptIds.has(d)) issue(['indicators', i, 'nature', j, 'departments', k], 'campaign/unknown-department', { value: d });
        }),
      ),
    );
    c.rules.forEach((r, i) => {
      for (const side of ['left', 'right'] as const)
        for (const term of r[side].split('+').map((s) => s.trim()))
          if (!/^\d+(\.\d+)?$/.test(term) && !indIds.has(term)) issue(['rules', i, side], 'campaign/unknown-indicator', { value: term });
    });
    // Text that reaches a workbook or a Word document must be text XML can hold.
    for (const [path, value] of strings(c)) if (NOT_XML_TEXT.test(value)) issue(path, 'campaign/not-xml', { value: visibleCodes(value) });
  });

/** What XML cannot hold as written: a character it refuses (NOT_XML), or a lone surrogate (UTF-8 would make it U+FFFD). */
const NOT_XML_TEXT = new RegExp(`${NOT_XML.source}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`);

/** The offending characters of a text, as U+XXXX. */
function visibleCodes(value: string): string {
  const found = new Set<string>();
  for (const ch of value) if (NOT_XML_TEXT.test(ch)) found.add(`U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return [...found].join('、');
}

/** Every string in a value, with its path. */
function* strings(value: unknown, path: (string | number)[] = []): Generator<[(string | number)[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

export type Campaign = z.infer<typeof campaignSchema>;
export type Department = Campaign['departments'][number];
export type Task = Campaign['tasks'][number];
export type Indicator = Campaign['indicators'][number];
export type Rule = Campaign['rules'][number];
export type HistorySettings = z.infer<typeof historySchema>;
