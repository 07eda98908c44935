import * as z from 'zod';

/** A stable ASCII identifier: lower-case letters, digits and underscores, starting with a letter. */
const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'id 只能用小写字母、数字和下划线，且以字母开头');
const text = z.string().trim().min(1);
/** An exact instant with an explicit offset, e.g. 2024-11-12T23:59:59+08:00. */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/, '须为带时区的时刻，如 2024-11-12T23:59:59+08:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), '不是有效的时刻');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期须写成 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), '不是有效的日期');

/** A unit that has to report, with the person to call. */
export const departmentSchema = z.strictObject({
  id,
  /** The name as printed in the table, e.g. 区市场监管局. */
  name: text,
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
});

/** A side of a rule: indicator ids and numbers joined by `+`, e.g. `cases_closed + cases_transferred`. */
const expression = z.string().regex(/^\s*[a-z0-9_.]+(\s*\+\s*[a-z0-9_.]+)*\s*$/, '表达式只能由指标 id、数字和 + 组成');

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
  })
  .superRefine((c, ctx) => {
    const dup = (values: string[], path: (string | number)[], what: string) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `${what}“${v}”重复` });
        seen.add(v);
      });
    };
    dup(c.departments.map((d) => d.id), ['departments'], '单位 id');
    dup(c.departments.map((d) => d.name), ['departments'], '单位名称');
    dup(c.indicators.map((d) => d.id), ['indicators'], '指标 id');
    dup(c.indicators.map((d) => d.label), ['indicators'], '指标名称');
    dup(c.tasks.map((t) => String(t.no)), ['tasks'], '任务序号');
    const deptIds = new Set(c.departments.map((d) => d.id));
    const indIds = new Set(c.indicators.map((d) => d.id));
    c.tasks.forEach((t, i) => {
      if (!c.categories.includes(t.category))
        ctx.addIssue({ code: 'custom', path: ['tasks', i, 'category'], message: `类别“${t.category}”不在 categories 中` });
      if (t.departments !== 'all')
        t.departments.forEach((d, j) => {
          if (!deptIds.has(d)) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'departments', j], message: `未知单位 id“${d}”` });
        });
    });
    c.rules.forEach((r, i) => {
      for (const side of ['left', 'right'] as const)
        for (const term of r[side].split('+').map((s) => s.trim()))
          if (!/^\d+(\.\d+)?$/.test(term) && !indIds.has(term))
            ctx.addIssue({ code: 'custom', path: ['rules', i, side], message: `未知指标 id“${term}”` });
    });
  });

export type Campaign = z.infer<typeof campaignSchema>;
export type Department = Campaign['departments'][number];
export type Task = Campaign['tasks'][number];
export type Indicator = Campaign['indicators'][number];
export type Rule = Campaign['rules'][number];
