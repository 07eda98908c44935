/**
 * The one description of a valid submission: a zod schema built from the campaign. Its input
 * is the plain data of any source (YAML text, a workbook); the typing habits clerks have —
 * full-width digits and colons, units and thousands separators in numbers, Chinese and slashed
 * dates, task numbers written 任务3 — are steps of the schema that read what was meant or raise
 * a finding with the catalogue's code. A finding is a zod issue whose `params.finding` holds
 * the code, its parameters and where exactly to point (the key, a character of the value, or
 * the later of two spellings of one thing); findings.ts places it through the source's map.
 *
 * Two schemas are built from one description: the strict one decides, and a lenient one, in
 * which a value in error reads as not given, yields the typed data the named rules (rules.ts)
 * check when the strict one found errors — so one run reports every mistake.
 */
import * as z from 'zod';
import { departmentFinder } from '../campaign/lookup.js';
import type { Campaign, Department, Indicator } from '../campaign/schema.js';
import { list, t, type MessageCode, type MessageParams } from '../messages/index.js';
import type { Case } from '../model.js';
import { closest, readAmount, readDate, readFigure, toHalfWidth, type Reading } from '../text/values.js';
import { CASE_KEYS, CHINESE_KEYS, SUBMISSION_KEYS, type SubmissionKey } from '../layout/keys.js';

export { CASE_KEYS, SUBMISSION_KEYS } from '../layout/keys.js';

// zod compiles a parser for each object shape (new Function) on its first parse: that pays off
// over many parses of one shape, not for a clerk's one file. Measured: a cold validate of one
// file 8 ms faster (safeParse 14 → 6 ms), and 1,000 files on two workers no slower (1.67 s both).
z.config({ jitless: true });

/** Keys whose presence says a file means to be a submission. */
const MARKERS = ['department', 'statistics', 'tasks', 'filled_by'];

/** A figure as reported, with the key it was typed under (an id or a Chinese label). */
export interface Figure {
  value: number;
  key: string;
}

/** A case as far as it could be read (the lenient schema leaves out what is in error). */
export type CaseData = Partial<Case> & { legal_basis?: string };

/** What the schema makes of a submission: typed, with the keys as typed where several spellings exist. */
export interface SubmissionData {
  department?: Department;
  filledBy?: string;
  reviewedBy?: string;
  /** 单位负责人: printed after 单位负责人： under the department's own table. */
  leader?: string;
  phone?: string;
  /** YYYY-MM-DD or YYYY-MM-DDTHH:mm, Beijing time; null when given but not a date (the lenient schema's reading). */
  submittedAt?: string | null;
  statistics: Map<string, Figure>;
  tasks: Map<number, { text: string; key: string }>;
  cases: CaseData[];
  /** Material paths as written, by their index in the list. */
  materials: { value: string; index: number }[];
  summary?: string;
  summaryFile?: string;
  /** 图片说明: material path as written → its caption. */
  captions?: Record<string, string>;
  /** True when `summary` or `summary_file` is there at all, even empty. */
  hasSummaryKey: boolean;
}

/**
 * Where a finding points, beyond the issue's path: its key, a character inside its text, or —
 * for one thing given twice — the other spelling (a sibling key); the finding then goes to
 * whichever of the two comes later in the source, naming the earlier.
 */
export interface Finding {
  code: MessageCode;
  params?: MessageParams;
  part?: 'key';
  offset?: number;
  duplicateOf?: string;
  /** The one finding worth giving about the value: every other one is left out (a file that is no submission). */
  alone?: boolean;
}

type Ctx = { addIssue(issue: { code: 'custom'; message: string; params: { finding: Finding }; path?: PropertyKey[]; input?: unknown }): void };

function raise(ctx: Ctx, finding: Finding, path?: (string | number)[]): void {
  ctx.addIssue({ code: 'custom', message: finding.code, params: { finding }, ...(path && { path }), input: undefined });
}

/** Unwraps a Reading: its value, `undefined` when nothing was given, or a finding and zod's NEVER. */
function take<T>(reading: Reading<T>, ctx: Ctx): T | undefined {
  if ('value' in reading) return reading.value;
  if ('absent' in reading) return undefined;
  raise(ctx, { code: reading.problem, params: reading.params });
  return z.NEVER;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
/** A scalar as text: strings as they are, numbers and booleans written out. */
const asText = (v: unknown) => (typeof v === 'string' ? v : String(v));

/**
 * The text of a scalar value, trimmed; a required one must be there (schema/required) and not
 * blank (value/empty, at its key); an optional blank one is undefined.
 */
function textOf(v: unknown, ctx: Ctx, required: true, label?: string): string | typeof z.NEVER;
function textOf(v: unknown, ctx: Ctx, required: boolean, label?: string): string | undefined;
function textOf(v: unknown, ctx: Ctx, required: boolean, label?: string): string | undefined {
  if (v === undefined) {
    if (!required) return undefined;
    raise(ctx, { code: 'schema/required', params: { label: label ?? '' } });
    return z.NEVER;
  }
  if (isBlank(v)) {
    if (!required) return undefined;
    raise(ctx, { code: 'value/empty', part: 'key' });
    return z.NEVER;
  }
  if (typeof v === 'object') {
    raise(ctx, { code: 'schema/expected-text' });
    return z.NEVER;
  }
  return asText(v).trim();
}

/** `3`, `"3"`, `３`, `任务3`, `第3项` → 3. */
export function taskNumber(key: string): number | undefined {
  const m = /^(?:任务)?(?:第)?\s*(\d+)\s*(?:项|\.)?$/.exec(toHalfWidth(key).trim());
  return m ? Number(m[1]) : undefined;
}

/** `key：value` typed where "key: value" pairs were meant: each key and the offset of its colon. */
export function fullwidthColonKeys(text: string): { key: string; offset: number }[] {
  const found: { key: string; offset: number }[] = [];
  for (const m of text.matchAll(/(^|\s)([^\s#:："'][^\s:："'#]*?)\s*：/g)) {
    if (found.length === 0 && m.index !== 0) return [];
    found.push({ key: m[2]!, offset: m.index! + m[0].length - 1 });
  }
  return found;
}

/** True when the data means to be a submission (rather than some other file in the folder). */
export function looksLikeSubmission(data: unknown): boolean {
  if (isObject(data)) return MARKERS.some((k) => Object.hasOwn(data, k));
  if (typeof data !== 'string') return false;
  return fullwidthColonKeys(data).some(({ key }) => Object.hasOwn(SUBMISSION_KEYS, key) || Object.hasOwn(CHINESE_KEYS, key.trim()));
}

export interface SubmissionSchemas {
  /** Decides: any issue means the submission is not valid. */
  strict: z.ZodType<SubmissionData>;
  /** Never fails on an object: a value in error reads as not given (for the rules). */
  lenient: z.ZodType<SubmissionData>;
}

const built = new WeakMap<Campaign, SubmissionSchemas>();

/** The schemas of a campaign's submissions, built once per campaign and thread. */
export function submissionSchemas(campaign: Campaign): SubmissionSchemas {
  let schemas = built.get(campaign);
  if (!schemas) {
    let lenient: z.ZodType<SubmissionData> | undefined;
    schemas = {
      strict: buildSubmissionSchema(campaign, false),
      // Needed only for a file with errors: built on first use.
      get lenient() {
        return (lenient ??= buildSubmissionSchema(campaign, true));
      },
    };
    built.set(campaign, schemas);
  }
  return schemas;
}

/** What every part of the schema is built from: the campaign, and which of the two schemas it is. */
interface Build {
  readonly campaign: Campaign;
  /** The lenient schema: a value in error reads as not given, and no finding is about the whole. */
  readonly lenient: boolean;
  /** The campaign's department by any accepted spelling. */
  readonly find: (name: string) => Department | undefined;
  /** The campaign's task numbers. */
  readonly numbers: number[];
}

/** The schema of one campaign's submissions: the parts, then the checks of the whole, then the typed data. */
export function buildSubmissionSchema(campaign: Campaign, lenient: boolean): z.ZodType<SubmissionData> {
  const b: Build = { campaign, lenient, find: departmentFinder(campaign), numbers: campaign.tasks.map((task) => task.no) };
  const shape = submissionShape(b);
  const root = z.preprocess(
    notAMapping,
    z
      .looseObject(shape)
      .superRefine((obj, ctx) => checkWhole(obj, shape, ctx), { when: (payload) => !lenient && isObject(payload.value) })
      .transform((obj) => submissionData(obj, b.find)),
  );
  return root as unknown as z.ZodType<SubmissionData>;
}

/** The fields of a submission, in the order an editor offers them. */
function submissionShape(b: Build) {
  return {
    department: departmentField(b),
    filled_by: textLeaf(b, true, SUBMISSION_KEYS.filled_by).meta({ title: '填表人' }),
    reviewed_by: textLeaf(b, false).meta({ title: '审核人', description: '可不填' }),
    phone: textLeaf(b, true, SUBMISSION_KEYS.phone, true).meta({
      title: '联系电话',
      description: '手机号或带区号的座机，如 0559-8510026',
    }),
    // In the lenient schema, there but not a date reads as null, not as "not given".
    submitted_at: dateLeaf(b, false, SUBMISSION_KEYS.submitted_at, null).meta({ title: '报送日期', description: '如 2024-11-10、2024年11月10日，可带时间 2024-11-10 16:30' }),
    statistics: soft(b, statisticsField(b), new Map()),
    tasks: soft(b, tasksField(b), new Map()).optional(),
    cases: items(b, caseItem(b), 'cases').meta({ title: '典型案例' }),
    summary: textLeaf(b, false).meta({ title: '专项行动总结', description: '也可改用 summary_file' }),
    summary_file: textLeaf(b, false).meta({ title: '总结文件', description: '与本文件放在同一文件夹的 .txt 或 Word（.docx）文件' }),
    materials: items(b, materialPath(b), 'materials').meta({ title: '图片视频资料', description: '相对于本文件所在文件夹的路径' }),
    captions: z
      .record(z.string(), z.string().trim())
      .optional()
      .meta({ title: '图片说明', description: '图片视频文件（写法与 materials 相同）: 时间、地点、事由，可不填' }),
    leader: textLeaf(b, false).meta({ title: '单位负责人', description: '可不填；填了的印在本单位统计表下“单位负责人：”之后' }),
  };
}

/** A file that is not "key: value" pairs: empty, `key：value` text, a list or a lone text — each said as such. */
function notAMapping(v: unknown, ctx: Ctx): unknown {
  if (isObject(v)) return v;
  if (isBlank(v)) raise(ctx, { code: 'file/empty' });
  else if (typeof v === 'string' && fullwidthColonKeys(v).length) for (const c of fullwidthColonKeys(v)) raise(ctx, { code: 'yaml/fullwidth-colon', params: { key: c.key }, offset: c.offset });
  else {
    const found = Array.isArray(v) ? t('ui/a-list') : t('ui/a-text', { text: asText(v).slice(0, 30) });
    raise(ctx, { code: 'yaml/not-mapping', params: { found } });
  }
  return z.NEVER;
}

/** The checks of the submission as a whole (strict schema only): a submission at all, its keys, one summary. */
function checkWhole(obj: Record<string, unknown>, shape: object, ctx: Ctx): void {
  if (!MARKERS.some((k) => Object.hasOwn(obj, k))) {
    // Not a submission at all: that, once, instead of every key it lacks.
    raise(ctx, { code: 'schema/required', params: { label: SUBMISSION_KEYS.department }, alone: true }, ['department']);
    return;
  }
  unknownKeys(obj, shape, SUBMISSION_KEYS, CHINESE_KEYS, ctx);
  if (Object.hasOwn(obj, 'summary') && Object.hasOwn(obj, 'summary_file')) raise(ctx, { code: 'schema/summary-both', part: 'key' }, ['summary_file']);
}

/** The parsed fields as the typed data: maps by canonical key, items in error left out, optional texts only when given. */
function submissionData(obj: Record<string, unknown>, find: Build['find']): SubmissionData {
  const out: SubmissionData = {
    statistics: (obj.statistics as Map<string, Figure> | undefined) ?? new Map(),
    tasks: new Map([...((obj.tasks as Map<string, { value: string; key: string }> | undefined) ?? new Map())].map(([no, task]) => [Number(no), { text: task.value, key: task.key }])),
    cases: ((obj.cases as (CaseData | undefined)[] | undefined) ?? []).map((c) => c ?? {}),
    materials: ((obj.materials as (string | undefined)[] | undefined) ?? []).flatMap((value, index) => (value === undefined ? [] : [{ value, index }])),
    hasSummaryKey: Object.hasOwn(obj, 'summary') || Object.hasOwn(obj, 'summary_file'),
  };
  const dept = obj.department === undefined ? undefined : find(obj.department as string);
  if (dept) out.department = dept;
  if (obj.submitted_at === null) out.submittedAt = null;
  if (obj.captions) out.captions = obj.captions as Record<string, string>;
  const optional = { filledBy: obj.filled_by, reviewedBy: obj.reviewed_by, phone: obj.phone, submittedAt: obj.submitted_at, summary: obj.summary, summaryFile: obj.summary_file, leader: obj.leader };
  for (const [k, v] of Object.entries(optional)) if (typeof v === 'string' && v !== '') (out as unknown as Record<string, string>)[k] = v;
  return out;
}

// ── leaves ──

/** In the lenient schema a value in error is read as `fallback` (not given). */
function soft<S extends z.ZodType>(b: Build, schema: S, fallback: unknown): S {
  return b.lenient ? (schema.catch(fallback as never) as unknown as S) : schema;
}

/** A text; `required` ones must be there and not empty; `orNumber` also takes a number (a phone typed without quotes). */
function textLeaf(b: Build, required: boolean, label?: string, orNumber = false) {
  const leaf = soft(
    b,
    z.preprocess((v, ctx) => textOf(v, ctx, required, label), orNumber ? z.union([z.string(), z.number()]) : required ? z.string() : z.string().nullish()),
    undefined,
  );
  return required ? leaf : leaf.optional();
}

/** A date in any accepted form; `invalid` is what the lenient schema reads one in error as. */
function dateLeaf(b: Build, required: boolean, label: string, invalid: null | undefined = undefined) {
  // A required date's schema must not be nullish: zod then skips an absent key, and the requirement is lost.
  const leaf = soft(b, z.preprocess((v, ctx) => dateValue(v, ctx, required, label), required ? z.string() : z.string().nullish()), invalid);
  return required ? leaf : leaf.optional();
}

/** A date value read: YYYY-MM-DD (with a time when given), or a finding. */
function dateValue(v: unknown, ctx: Ctx, required: boolean, label: string): unknown {
  if (v === undefined && required) {
    raise(ctx, { code: 'schema/required', params: { label } });
    return z.NEVER;
  }
  if (isObject(v) || Array.isArray(v)) {
    raise(ctx, { code: 'schema/expected-text' });
    return z.NEVER;
  }
  if (isBlank(v) && required) {
    raise(ctx, { code: 'value/empty', part: 'key' });
    return z.NEVER;
  }
  return take(readDate(isBlank(v) ? '' : asText(v), ''), ctx);
}

/** A figure: `count` a whole number ≥ 0, `amount` ≥ 0 with at most 4 decimals; blank is "not reported" (null). */
function figureLeaf(b: Build, indicator: Indicator) {
  return soft(
    b,
    z.preprocess((v, ctx) => figureValue(v, ctx, indicator), (indicator.kind === 'count' ? z.number().int().min(0) : z.number().min(0)).nullable()),
    null,
  )
    .optional()
    .meta({
      title: `${indicator.label}（${indicator.unit}）`,
      description: [
        `${indicator.group} · ${indicator.label}，单位：${indicator.unit}`,
        indicator.kind === 'count' ? '整数' : '数字，最多 4 位小数',
        indicator.hint?.replace(/[。；;.]$/, ''),
        '留空表示未报送（汇总时不当作 0）',
      ].filter(Boolean).join('；'),
    });
}

/** A figure value read: null when blank, the number meant, or a finding. */
function figureValue(v: unknown, ctx: Ctx, indicator: Indicator): unknown {
  if (isBlank(v)) return null;
  if (typeof v === 'object') {
    raise(ctx, { code: 'value/not-a-number', params: { label: indicator.label, value: '…' } });
    return z.NEVER;
  }
  const raw = asText(v);
  if (raw.includes('：')) {
    raise(ctx, { code: 'yaml/fullwidth-colon', params: { key: raw.split('：')[0]! } });
    return z.NEVER;
  }
  return take(readFigure(raw, indicator), ctx) ?? null;
}

/** An amount of money (a case's fine): ≥ 0, units and separators read; blank is not given. */
function amountLeaf(b: Build, label: string) {
  return soft(
    b,
    z.preprocess((v, ctx) => {
      if (isBlank(v)) return undefined;
      if (typeof v !== 'object') return take(readAmount(asText(v), label), ctx);
      raise(ctx, { code: 'value/not-a-number', params: { label, value: '…' } });
      return z.NEVER;
    }, z.number().min(0).nullish()),
    undefined,
  ).optional();
}

/** Yes or no: true/false, 是/否, 已曝光/未曝光, yes/no, y/n; blank is no. */
function booleanLeaf(b: Build) {
  return soft(
    b,
    z.preprocess((v, ctx) => {
      if (typeof v === 'boolean') return v;
      const s = isBlank(v) ? '' : typeof v === 'object' ? '\u0000' : asText(v).trim();
      if (/^(true|yes|是|已曝光|y)$/i.test(s)) return true;
      if (/^(false|no|否|未曝光|n|)$/i.test(s)) return false;
      raise(ctx, { code: 'schema/expected-boolean' });
      return z.NEVER;
    }, z.boolean().nullable()),
    false,
  ).optional();
}

/** 填报单位: any accepted spelling of a department, read as its name. */
function departmentField(b: Build) {
  const { campaign, find } = b;
  // Every accepted spelling, names first, so an editor offers the names and accepts the rest.
  const spellings = z.enum([...new Set(campaign.departments.flatMap((d) => [d.name, d.id, ...d.aliases]))] as [string, ...string[]]);
  return soft(
    b,
    z.preprocess((v, ctx) => {
      const name = textOf(v, ctx, true, SUBMISSION_KEYS.department);
      if (name === z.NEVER) return name;
      const found = find(name);
      if (!found) raise(ctx, { code: 'schema/unknown-department', params: { value: name, valid: list(campaign.departments.map((d) => d.name)) } });
      return found ? found.name : z.NEVER;
    }, spellings).meta({
      title: '填报单位',
      description: `单位名称，可填：${campaign.departments.map((d) => d.name).join('、')}`,
    }),
    undefined,
  );
}

/** A case's task: one of the campaign's task numbers, in any spelling taskNumber reads. */
function caseTaskLeaf(b: Build) {
  const { numbers } = b;
  return soft(
    b,
    z.preprocess((v, ctx) => {
      const typed = isObject(v) || Array.isArray(v) ? '…' : textOf(v, ctx, true, CASE_KEYS.task);
      if (typed === z.NEVER) return typed;
      const no = taskNumber(typed);
      if (no === undefined) raise(ctx, { code: 'value/not-a-number', params: { label: CASE_KEYS.task, value: typed } });
      else if (!numbers.includes(no)) raise(ctx, { code: 'rule/case-task', params: { value: no, count: numbers.length } });
      return no !== undefined && numbers.includes(no) ? no : z.NEVER;
    }, z.literal(numbers)),
    undefined,
  );
}

/** A material's path: text, one per item. */
function materialPath(b: Build) {
  return soft(
    b,
    z.preprocess((v, ctx) => {
      if (isBlank(v) || typeof v === 'object') {
        raise(ctx, { code: 'schema/expected-text' });
        return z.NEVER;
      }
      return asText(v).trim();
    }, z.string()),
    undefined,
  );
}

// ── collections ──

/** "key: value" pairs expected: blank is none; `key：value` text and other values are findings. */
function pairs<S extends z.ZodType>(inner: S, label: string, required: boolean) {
  return z.preprocess((v, ctx) => {
    if (v === undefined && required) {
      raise(ctx, { code: 'schema/required', params: { label: SUBMISSION_KEYS[label as SubmissionKey] } });
      return z.NEVER;
    }
    if (isBlank(v)) return {};
    if (isObject(v)) return v;
    const colons = typeof v === 'string' ? fullwidthColonKeys(v) : [];
    if (colons.length) for (const c of colons) raise(ctx, { code: 'yaml/fullwidth-colon', params: { key: c.key }, offset: c.offset });
    else if (typeof v === 'string' && v.includes('：')) raise(ctx, { code: 'yaml/fullwidth-colon', params: { key: v.split('：')[0]!.trim() } });
    else raise(ctx, { code: 'schema/expected-mapping', params: { key: label } });
    return z.NEVER;
  }, inner);
}

/** A list of items: blank is an empty list. */
function items<S extends z.ZodType>(b: Build, item: S, label: string) {
  return soft(
    b,
    z.preprocess((v, ctx) => {
      if (isBlank(v)) return [];
      if (Array.isArray(v)) return v;
      raise(ctx, { code: 'schema/expected-list', params: { key: label } });
      return z.NEVER;
    }, z.array(item).nullable()),
    [],
  ).optional();
}

/** How the keys of a spelledObject are read: one canonical key each, other spellings resolved, findings for the rest. */
interface Spelling {
  /** One leaf per canonical key. */
  shape: Record<string, z.ZodType>;
  /** The canonical key of another spelling, or undefined when the key names nothing. */
  resolve: (key: string) => string | undefined;
  unknown: (key: string, value: unknown) => Finding;
  twice: (canonical: string) => Finding;
}

/**
 * An object whose keys may be spelt several ways (an indicator by id or label, a task as 3 or
 * 任务3): `shape` has one canonical key each; `resolve` gives the canonical key of another
 * spelling, whose value is then checked by the same leaf. Unknown keys and a thing given
 * twice are findings at their keys. The result is a Map by canonical key, with the key typed.
 */
function spelledObject<V>(b: Build, spelling: Spelling) {
  return z
    .looseObject(spelling.shape)
    .superRefine((obj, ctx) => checkSpellings(obj, spelling, ctx), { when: (payload) => !b.lenient && isObject(payload.value) })
    .transform((obj) => byCanonicalKey<V>(obj, spelling));
}

/** The canonical key of a key as typed: itself when the shape has it, else what it resolves to. */
const canonicalOf = (spelling: Spelling, key: string) => (Object.hasOwn(spelling.shape, key) ? key : spelling.resolve(key));

/** The value of a key that is not the canonical one, checked by the canonical key's leaf. */
const checkedAs = (spelling: Spelling, canonical: string, value: unknown) => spelling.shape[canonical]!.safeParse(value);

/** Unknown keys, a thing given twice, and the values of other spellings checked by their canonical leaf. */
function checkSpellings(obj: Record<string, unknown>, spelling: Spelling, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  for (const key of Object.keys(obj)) {
    const canonical = canonicalOf(spelling, key);
    if (canonical === undefined) {
      raise(ctx, { ...spelling.unknown(key, obj[key]), part: 'key' }, [key]);
      continue;
    }
    const first = seen.get(canonical);
    if (first !== undefined) {
      raise(ctx, { ...spelling.twice(canonical), part: 'key', duplicateOf: first }, [key]);
      continue;
    }
    seen.set(canonical, key);
    if (canonical !== key) {
      const checked = checkedAs(spelling, canonical, obj[key]);
      if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...(issue as z.core.$ZodIssueCustom), path: [key, ...issue.path] });
    }
  }
}

/** The values given, as a Map by canonical key with the key as typed; the first spelling wins, blanks are left out. */
function byCanonicalKey<V>(obj: Record<string, unknown>, spelling: Spelling): Map<string, { value: V; key: string }> {
  const out = new Map<string, { value: V; key: string }>();
  for (const key of Object.keys(obj)) {
    const canonical = canonicalOf(spelling, key);
    if (canonical === undefined || out.has(canonical)) continue;
    const parsed = canonical === key ? obj[key] : checkedAs(spelling, canonical, obj[key]).data;
    if (parsed !== undefined && parsed !== null) out.set(canonical, { value: parsed as V, key });
  }
  return out;
}

// ── parts ──

/** statistics: one field per indicator, by id; the Chinese label, with or without its unit, is accepted too. */
function statisticsField(b: Build) {
  const { campaign } = b;
  const byLabel = new Map<string, Indicator>();
  for (const i of campaign.indicators) {
    byLabel.set(normalKey(i.label), i);
    byLabel.set(normalKey(`${i.label}(${i.unit})`), i);
  }
  const keysOffered = campaign.indicators.flatMap((i) => [i.id, i.label]);
  return pairs(
    spelledObject<number>(b, {
      shape: Object.fromEntries(campaign.indicators.map((i) => [i.id, figureLeaf(b, i)])),
      resolve: (key) => byLabel.get(normalKey(key))?.id,
      unknown: (key, value) => unitInKey(key, value, byLabel) ?? { code: 'schema/unknown-indicator', params: { key, hint: didYouMean(closest(key, keysOffered)) } },
      twice: (id) => ({ code: 'schema/duplicate-indicator', params: { label: campaign.indicators.find((i) => i.id === id)!.label } }),
    }),
    'statistics',
    true,
  ).meta({ title: '统计表', description: `${campaign.table_title}：每项只写数字，留空表示未报送` });
}

/** tasks: by number, written 3, 任务3 or 第3项; a text each. */
function tasksField(b: Build) {
  const { campaign, numbers } = b;
  const taskText = soft(b, z.preprocess((v, ctx) => textOf(v, ctx, false), z.string().nullish()), undefined);
  const names = new Map(campaign.departments.map((d) => [d.id, d.name]));
  const shape = Object.fromEntries(
    campaign.tasks.map((task) => [
      String(task.no),
      taskText.meta({
        title: `任务${task.no}【${task.category}】${task.title}`,
        description: `责任单位：${task.departments === 'all' ? '各有关单位' : task.departments.map((id) => names.get(id) ?? id).join('、')}。写明做了什么、取得什么成效。`,
      }),
    ]),
  );
  return pairs(
    spelledObject<string>(b, {
      shape,
      resolve: (key) => {
        const no = taskNumber(key);
        return no !== undefined && numbers.includes(no) ? String(no) : undefined;
      },
      unknown: (key) => ({ code: 'schema/unknown-task', params: { value: key, count: numbers.length, range: numberRanges(numbers) } }),
      twice: () => ({ code: 'yaml/duplicate-key' }),
    }),
    'tasks',
    false,
  ).meta({ title: '重点任务落实情况', description: '任务序号: 落实情况' });
}

/** One case: a mapping of its fields; unknown keys are findings. */
function caseItem(b: Build) {
  const caseShape = {
    title: textLeaf(b, true, CASE_KEYS.title).meta({ title: CASE_KEYS.title }),
    task: caseTaskLeaf(b).meta({ title: CASE_KEYS.task, description: `方案中的任务序号（${numberRanges(b.numbers)}）` }),
    date: dateLeaf(b, true, CASE_KEYS.date).meta({ title: CASE_KEYS.date, description: '如 2024-09-12 或 2024年9月12日' }),
    summary: textLeaf(b, true, CASE_KEYS.summary).meta({ title: CASE_KEYS.summary }),
    result: textLeaf(b, false).meta({ title: CASE_KEYS.result }),
    fine: amountLeaf(b, CASE_KEYS.fine).meta({ title: CASE_KEYS.fine, description: '万元，最多 4 位小数' }),
    exposed: booleanLeaf(b).meta({ title: CASE_KEYS.exposed, description: 'true 是，false 否' }),
    legal_basis: textLeaf(b, false).meta({ title: CASE_KEYS.legal_basis, description: '可不填，例：违反《中华人民共和国产品质量法》第三十九条，依据第五十条' }),
    significance: textLeaf(b, false).meta({ title: CASE_KEYS.significance, description: '可不填：本案的警示、示范作用' }),
  };
  return soft(
    b,
    z.preprocess(
      (v, ctx) => {
        if (isObject(v)) return v;
        raise(ctx, { code: 'schema/expected-mapping' });
        return z.NEVER;
      },
      z.looseObject(caseShape).superRefine((obj, ctx) => unknownKeys(obj, caseShape, CASE_KEYS, {}, ctx), { when: (payload) => !b.lenient && isObject(payload.value) }),
    ),
    undefined,
  );
}

/** The task numbers as a clerk reads them: 1–34, or 1–10、12、15–20 when some are not used. */
function numberRanges(numbers: readonly number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return list(parts);
}

/** Unknown keys of an object, each at its key with the key probably meant (or the keys allowed). */
function unknownKeys(obj: Record<string, unknown>, shape: object, names: Record<string, string>, chinese: Record<string, string>, ctx: Ctx): void {
  const allowed = Object.keys(names);
  for (const key of Object.keys(obj)) {
    if (Object.hasOwn(shape, key)) continue;
    const suggestion = chinese[key.trim()] ?? closest(key, allowed);
    const hint = suggestion ? didYouMean(suggestion) : t('schema/allowed-keys', { allowed: allowed.join(', ') });
    raise(ctx, { code: 'schema/unknown-key', params: { key, hint, ...(suggestion && { suggestion }) }, part: 'key' }, [key]);
  }
}

const didYouMean = (suggestion: string | undefined) => (suggestion ? t('schema/did-you-mean', { suggestion }) : '');

/** A key compared the way people type it: half-width, without spaces, brackets alike. */
function normalKey(key: string): string {
  return toHalfWidth(key).replace(/\s+/g, '');
}

/**
 * A label with a unit that is not the table's (罚没款（元）, 出动执法人员（个）): the figure would be
 * read in the wrong unit, so it is a finding, never silently accepted.
 */
function unitInKey(key: string, value: unknown, byLabel: ReadonlyMap<string, Indicator>): Finding | undefined {
  const m = /^(.+)\(([^()]+)\)$/.exec(normalKey(key));
  const indicator = m ? byLabel.get(m[1]!) : undefined;
  if (!m || !indicator) return undefined;
  const typed = m[2]!;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
  // 元 for a column in 万元: the figure to write instead.
  const hint = typed === '元' && indicator.unit === '万元' && number !== undefined ? t('schema/unit-in-key-yuan', { value: number, converted: number / 10000 }) : '';
  return { code: 'schema/unit-in-key', params: { key, label: indicator.label, unit: indicator.unit, typed, id: indicator.id, hint } };
}
