/**
 * One submission's text to a Submission and its diagnostics. Stage one reads the
 * YAML tree field by field (every finding carries the line of its node); stage two
 * runs the named rules in rules.ts over the result.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq, type LineCounter } from 'yaml';
import type { Campaign, Department, Indicator } from '../campaign/schema.js';
import { makeDiagnostic, hasErrors, type Diagnostic, type Position, type Severity } from '../diagnostics.js';
import { list, t, type MessageCode, type MessageParams } from '../messages/index.js';
import type { Case, Submission, SubmissionBrief } from '../model.js';
import { FULLWIDTH_COLON, findAliases, keyText, nodePosition, parseTree } from '../source/parse.js';
import { checkOutside, runRules, type OutsideRefs, type RuleContext } from './rules.js';
import { closest, readAmount, readDate, readFigure, toHalfWidth, type Reading } from './values.js';

/** Top-level keys, with the Chinese name a clerk might type instead. */
export const SUBMISSION_KEYS = {
  department: '填报单位',
  filled_by: '填表人',
  reviewed_by: '审核人',
  phone: '联系电话',
  submitted_at: '报送日期',
  statistics: '统计数据',
  tasks: '任务落实情况',
  cases: '典型案例',
  summary: '专项行动总结',
  summary_file: '总结文件',
  materials: '图片视频资料',
} as const;
type SubmissionKey = keyof typeof SUBMISSION_KEYS;
const CHINESE_KEYS: Record<string, SubmissionKey> = {
  单位: 'department', 部门: 'department', 填报单位: 'department', 报送单位: 'department',
  填表人: 'filled_by', 填报人: 'filled_by', 审核人: 'reviewed_by', 电话: 'phone', 联系电话: 'phone',
  报送日期: 'submitted_at', 报送时间: 'submitted_at', 填报日期: 'submitted_at', 统计: 'statistics', 统计表: 'statistics',
  统计数据: 'statistics', 任务: 'tasks', 重点任务: 'tasks', 案例: 'cases', 典型案例: 'cases', 总结: 'summary',
  工作总结: 'summary', 材料: 'materials', 图片视频: 'materials', 图片视频资料: 'materials',
};

export const CASE_KEYS = {
  title: '案例名称',
  task: '任务序号',
  date: '日期',
  summary: '基本案情',
  result: '处理结果',
  fine: '罚没款（万元）',
  exposed: '是否曝光',
} as const;
type CaseKey = keyof typeof CASE_KEYS;

/** Keys that could reach an object's prototype if a naive consumer used them. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

export interface CheckOptions {
  campaign: Campaign;
  /** Path of the submission file: materials and summary_file are resolved beside it. */
  file: string;
  /** For date plausibility; defaults to now. */
  now?: Date;
}

export interface CheckResult {
  /** Department id the file claims, when it names a known one. */
  department?: string;
  /** Both present when there are no errors (warnings allowed). */
  submission?: Submission;
  brief?: SubmissionBrief;
  diagnostics: Diagnostic[];
  /** The file does not look like a submission at all. */
  isForeign: boolean;
}

/**
 * What a file's text alone says. It depends on nothing but the text and the campaign,
 * so it can be kept and reused while the file is unchanged (see load.ts).
 */
export interface TextCheck extends CheckResult {
  /** What the text refers to outside itself, checked by checkOutside on every run. */
  outside: OutsideRefs;
}

const finders = new WeakMap<Campaign, (name: string) => Department | undefined>();

/** Finds department ids by id, name or alias (built once per campaign: a province has thousands of names). */
export function departmentFinder(campaign: Campaign): (name: string) => Department | undefined {
  let find = finders.get(campaign);
  if (!find) {
    const byName = new Map<string, Department>();
    for (const d of campaign.departments) for (const n of [d.id, d.name, ...d.aliases]) byName.set(n, d);
    find = (name) => byName.get(toHalfWidth(name).trim());
    finders.set(campaign, find);
  }
  return find;
}

/** Check the text of one submission, then what it refers to on disk. */
export function checkSubmission(text: string, options: CheckOptions): CheckResult {
  return completeCheck(checkText(text, options.campaign), options.file, options.now ?? new Date());
}

/** Add the checks outside the text (materials, summary file, today's date) to a text's check. */
export function completeCheck(text: TextCheck, file: string, now: Date): CheckResult {
  const outside = checkOutside(text.outside, file, now);
  const diagnostics = [...text.diagnostics, ...outside.diagnostics];
  const result: CheckResult = { diagnostics, isForeign: text.isForeign };
  if (text.department) result.department = text.department;
  if (text.brief && !hasErrors(diagnostics)) {
    result.brief = text.brief;
    if (text.submission) result.submission = outside.summary === undefined ? text.submission : { ...text.submission, summary: outside.summary };
  }
  return result;
}

/** Check what a submission's text alone says. Pure. */
export function checkText(text: string, campaign: Campaign): TextCheck {
  const none: OutsideRefs = { materials: [] };
  const parsed = parseTree(text);
  const diagnostics = [...parsed.diagnostics];
  const root = parsed.root;
  // Repaired typing habits leave a usable tree; any other syntax error ends the check here.
  if (root === undefined) return { diagnostics, isForeign: false, outside: none };
  const lc = parsed.lineCounter;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    diagnostics.push(makeDiagnostic('error', 'file/empty', {}, { line: 1, column: 1 }));
    return { diagnostics, isForeign: false, outside: none };
  }
  const aliases = findAliases(root);
  if (aliases.length) {
    for (const a of aliases.slice(0, 3)) diagnostics.push(makeDiagnostic('error', 'yaml/alias', {}, nodePosition(lc, a)));
    return { diagnostics, isForeign: false, outside: none };
  }
  if (!isMap(root)) {
    // `key：value` lines only: YAML read them as one text, but each is a key with a full-width colon.
    const colons = fullwidthColonLines(root, parsed.text, lc);
    if (colons.length) {
      for (const c of colons)
        diagnostics.push(makeDiagnostic('error', 'yaml/fullwidth-colon', { key: c.key }, { line: c.line, column: parsed.originalColumn(c.line, c.column) }));
      const keys = colons.map((c) => c.key);
      return { diagnostics, isForeign: !keys.some((k) => Object.hasOwn(SUBMISSION_KEYS, k) || Object.hasOwn(CHINESE_KEYS, k)), outside: none };
    }
    const found = isSeq(root) ? t('ui/a-list') : t('ui/a-text', { text: String((root as { value?: unknown }).value ?? '').slice(0, 30) });
    diagnostics.push(makeDiagnostic('error', 'yaml/not-mapping', { found }, nodePosition(lc, root)));
    return { diagnostics, isForeign: true, outside: none };
  }

  const reader = new Reader(lc, diagnostics, parsed.text, parsed.originalColumn);
  const fields = reader.entries(root, [], (key) =>
    Object.hasOwn(SUBMISSION_KEYS, key)
      ? key
      : { suggestion: CHINESE_KEYS[key.trim()] ?? closest(key, Object.keys(SUBMISSION_KEYS)), allowed: Object.keys(SUBMISSION_KEYS) },
  );
  const looksLikeSubmission = ['department', 'statistics', 'tasks', 'filled_by'].some((k) => fields.has(k));
  if (!looksLikeSubmission) {
    diagnostics.push(makeDiagnostic('error', 'schema/required', { key: 'department', label: SUBMISSION_KEYS.department }, { line: 1, column: 1 }));
    return { diagnostics, isForeign: true, outside: none };
  }

  // department
  const findDepartment = departmentFinder(campaign);
  let department: Department | undefined;
  const deptPair = fields.get('department');
  if (!deptPair) reader.missing('department', SUBMISSION_KEYS.department);
  else {
    const name = reader.text(deptPair, ['department']);
    if (name !== undefined) {
      department = findDepartment(name);
      if (!department)
        reader.push('error', 'schema/unknown-department', { value: name, valid: list(campaign.departments.map((d) => d.name)) }, deptPair.value, ['department']);
    }
  }

  const filledBy = reader.requiredText(fields, 'filled_by');
  const reviewedBy = fields.has('reviewed_by') ? reader.text(fields.get('reviewed_by')!, ['reviewed_by'], true) : undefined;
  const phone = reader.requiredText(fields, 'phone');
  let submittedAt: string | undefined;
  const sa = fields.get('submitted_at');
  if (sa) submittedAt = reader.reading(readDate(reader.raw(sa.value) ?? '', 'submitted_at'), sa.value ?? sa.key, ['submitted_at']);

  const statistics = readStatistics(reader, fields.get('statistics'), campaign);
  const tasks = readTasks(reader, fields.get('tasks'), campaign);
  const cases = readCases(reader, fields.get('cases'));
  const materials = readMaterials(reader, fields.get('materials'));
  const summaryPair = fields.get('summary');
  const summaryFilePair = fields.get('summary_file');
  const summary = summaryPair ? reader.text(summaryPair, ['summary'], true) : undefined;
  const summaryFile = summaryFilePair ? reader.text(summaryFilePair, ['summary_file']) : undefined;
  if (summaryPair && summaryFilePair) reader.push('error', 'schema/summary-both', {}, summaryFilePair.key, ['summary_file']);

  const ruleContext: RuleContext = {
    campaign,
    department,
    statistics,
    tasks,
    cases,
    summary,
    hasSummaryFile: summaryFile !== undefined,
    hasSummaryKey: Boolean(summaryPair || summaryFilePair),
    tasksKey: fields.get('tasks')?.key ?? root,
    submittedAt: submittedAt === undefined ? undefined : { value: submittedAt, node: sa!.value },
    phone: phone === undefined ? undefined : { value: phone, node: fields.get('phone')!.value },
    report: (severity, code, params, node, path) => reader.push(severity, code, params, node, path),
    reportAt: (severity, code, params, path) => reader.push(severity, code, params, reader.nodeAtPath(root, path), path),
  };
  runRules(ruleContext);

  const outside: OutsideRefs = { materials: materials.map((m, i) => ({ value: m.value, at: reader.position(m.node, ['materials', i]) })) };
  if (summaryFile !== undefined) outside.summaryFile = { path: summaryFile, at: reader.position(summaryFilePair!.value, ['summary_file']) };
  if (submittedAt !== undefined) outside.submittedAt = { value: submittedAt, at: reader.position(sa!.value, ['submitted_at']) };

  const result: TextCheck = { diagnostics, isForeign: false, outside };
  if (department) result.department = department.id;
  if (department && !hasErrors(diagnostics)) {
    const submission: Submission = {
      department: department.id,
      filledBy: filledBy ?? '',
      phone: phone ?? '',
      statistics: new Map([...statistics].map(([id, f]) => [id, f.value])),
      tasks: new Map([...tasks].map(([no, task]) => [no, task.value])),
      cases: cases.map((c) => c.value),
      materials: materials.map((m) => m.value),
    };
    if (reviewedBy) submission.reviewedBy = reviewedBy;
    if (submittedAt) submission.submittedAt = submittedAt;
    if (summary) submission.summary = summary;
    if (summaryFile) submission.summaryFile = summaryFile;
    result.submission = submission;
    result.brief = briefOf(submission);
  }
  return result;
}

/** What status needs of a submission (see SubmissionBrief). */
function briefOf(s: Submission): SubmissionBrief {
  const brief: SubmissionBrief = { filledBy: s.filledBy, phone: s.phone, tasks: [...s.tasks.keys()] };
  if (s.submittedAt !== undefined) brief.submittedAt = s.submittedAt;
  return brief;
}

/** A value read from the tree, with the node to point at. */
export interface Located<T> {
  value: T;
  /** The YAML node to point at. */
  node: unknown;
}

function readStatistics(reader: Reader, pair: Pair | undefined, campaign: Campaign): Map<string, Located<number>> {
  const figures = new Map<string, Located<number>>();
  if (!pair) {
    reader.missing('statistics', SUBMISSION_KEYS.statistics);
    return figures;
  }
  const map = reader.map(pair, ['statistics']);
  if (!map) return figures;
  const byKey = new Map<string, Indicator>();
  for (const i of campaign.indicators) {
    byKey.set(i.id, i);
    byKey.set(i.label, i);
  }
  const seen = new Map<string, string>();
  const entries = reader.entries(map, ['statistics'], (key) => {
    const indicator = byKey.get(key.trim().replace(/[（(].*[)）]$/, ''));
    if (indicator) return key;
    return { suggestion: closest(key, [...byKey.keys()]), code: 'schema/unknown-indicator' };
  });
  for (const [key, p] of entries) {
    const indicator = byKey.get(key.trim().replace(/[（(].*[)）]$/, ''))!;
    const path = ['statistics', key];
    const first = seen.get(indicator.id);
    if (first !== undefined) {
      reader.push('error', 'schema/duplicate-indicator', { label: indicator.label, first, second: key }, p.key, path);
      continue;
    }
    seen.set(indicator.id, key);
    if (isMap(p.value) || isSeq(p.value)) {
      reader.push('error', 'value/not-a-number', { label: indicator.label, value: '…' }, p.value, path);
      continue;
    }
    const raw = reader.raw(p.value) ?? '';
    const fullwidthKey = /：/.test(raw) ? raw : undefined;
    if (fullwidthKey) {
      reader.push('error', 'yaml/fullwidth-colon', { key: raw.split('：')[0]! }, p.value, path);
      continue;
    }
    const value = reader.reading(readFigure(raw, indicator), p.value ?? p.key, path);
    if (value !== undefined) figures.set(indicator.id, { value, node: p.value });
  }
  return figures;
}

function readTasks(reader: Reader, pair: Pair | undefined, campaign: Campaign): Map<number, Located<string> & { keyNode: unknown }> {
  const tasks = new Map<number, Located<string> & { keyNode: unknown }>();
  if (!pair) return tasks;
  const map = reader.map(pair, ['tasks']);
  if (!map) return tasks;
  const numbers = new Set(campaign.tasks.map((t) => t.no));
  const max = Math.max(...numbers);
  const entries = reader.entries(map, ['tasks'], (key) => {
    const no = taskNumber(key);
    if (no !== undefined && numbers.has(no)) return key;
    return { code: 'schema/unknown-task', params: { value: key, count: numbers.size, max } };
  });
  for (const [key, p] of entries) {
    const no = taskNumber(key)!;
    if (tasks.has(no)) {
      reader.push('error', 'yaml/duplicate-key', { key, firstLine: nodePosition(reader.lc, tasks.get(no)!.keyNode).line ?? '?' }, p.key, ['tasks', key]);
      continue;
    }
    const text = reader.text(p, ['tasks', key], true);
    if (text) tasks.set(no, { value: text, node: p.value, keyNode: p.key });
  }
  return tasks;
}

/** `3`, `"3"`, `３`, `任务3`, `第3项` → 3. */
function taskNumber(key: string): number | undefined {
  const m = /^(?:任务|第)?\s*(\d+)\s*(?:项|\.)?$/.exec(toHalfWidth(key).trim());
  return m ? Number(m[1]) : undefined;
}

function readCases(reader: Reader, pair: Pair | undefined): Located<Case>[] {
  const list = reader.list(pair, 'cases');
  if (!list) return [];
  const cases: Located<Case>[] = [];
  list.items.forEach((item, index) => {
    const path = ['cases', index];
    if (!isMap(item)) {
      reader.push('error', 'schema/expected-mapping', { key: `cases[${index + 1}]` }, item as Node, path);
      return;
    }
    const fields = reader.entries(item, path, (key) =>
      Object.hasOwn(CASE_KEYS, key) ? key : { suggestion: closest(key, Object.keys(CASE_KEYS)), allowed: Object.keys(CASE_KEYS) },
    );
    const get = (key: CaseKey) => fields.get(key);
    const required = (key: CaseKey): string | undefined => {
      const p = get(key);
      if (!p) {
        reader.push('error', 'schema/required', { key: `cases[${index + 1}].${key}`, label: CASE_KEYS[key] }, item, path);
        return undefined;
      }
      return reader.text(p, [...path, key]);
    };
    const title = required('title');
    const summary = required('summary');
    const taskText = required('task');
    const task = taskText === undefined ? undefined : taskNumber(taskText);
    if (taskText !== undefined && task === undefined)
      reader.push('error', 'value/not-a-number', { label: CASE_KEYS.task, value: taskText }, get('task')!.value, [...path, 'task']);
    const datePair = get('date');
    let date: string | undefined;
    if (!datePair) reader.push('error', 'schema/required', { key: `cases[${index + 1}].date`, label: CASE_KEYS.date }, item, path);
    else date = reader.reading(readDate(reader.raw(datePair.value) ?? '', `cases[${index + 1}].date`), datePair.value ?? datePair.key, [...path, 'date']);
    const c: Case = { title: title ?? '', task: task ?? 0, date: date ?? '', summary: summary ?? '', exposed: false };
    const resultPair = get('result');
    if (resultPair) {
      const r = reader.text(resultPair, [...path, 'result'], true);
      if (r) c.result = r;
    }
    const finePair = get('fine');
    if (finePair) {
      const fine = reader.reading(readAmount(reader.raw(finePair.value) ?? '', `${CASE_KEYS.fine}`), finePair.value ?? finePair.key, [...path, 'fine']);
      if (fine !== undefined) c.fine = fine;
    }
    const exposedPair = get('exposed');
    if (exposedPair) {
      const e = reader.boolean(exposedPair, [...path, 'exposed']);
      if (e !== undefined) c.exposed = e;
    }
    cases.push({ value: c, node: item });
  });
  return cases;
}

function readMaterials(reader: Reader, pair: Pair | undefined): Located<string>[] {
  const list = reader.list(pair, 'materials');
  if (!list) return [];
  const out: Located<string>[] = [];
  list.items.forEach((item, i) => {
    if (!isScalar(item) || item.value === null || typeof item.value === 'object') {
      reader.push('error', 'schema/expected-text', { key: `materials[${i + 1}]` }, item as Node, ['materials', i]);
      return;
    }
    out.push({ value: String(item.value).trim(), node: item });
  });
  return out;
}

/**
 * Where a mapping was expected, `key：value` lines (one or several) are read by YAML as
 * a single plain text, because a full-width colon separates nothing. One finding per
 * such line, at its colon; none when the text does not start like that.
 */
function fullwidthColonLines(node: unknown, text: string, lc: LineCounter): { line: number; column: number; key: string }[] {
  if (!isScalar(node) || node.type !== 'PLAIN' || !node.range) return [];
  const lines = text.split(/\r\n|\r|\n/);
  const first = lc.linePos(node.range[0]);
  const last = lc.linePos(Math.max(node.range[0], node.range[1] - 1));
  const found: { line: number; column: number; key: string }[] = [];
  for (let n = first.line; n <= last.line; n++) {
    const from = n === first.line ? first.col - 1 : 0;
    const m = FULLWIDTH_COLON.exec((lines[n - 1] ?? '').slice(from));
    if (m) found.push({ line: n, column: from + m[0].length, key: m[2]!.trim() });
    else if (n === first.line) return [];
  }
  return found;
}

type KeyVerdict = string | { suggestion?: string | undefined; allowed?: string[]; code?: MessageCode; params?: MessageParams };

/** Walks the YAML tree and records diagnostics at nodes. */
class Reader {
  /** Keys offered as did-you-mean suggestions. */
  readonly suggested = new Set<string>();

  constructor(
    readonly lc: LineCounter,
    readonly diagnostics: Diagnostic[],
    /** The text the tree was parsed from, for findings inside a plain text. */
    readonly source: string,
    /** Columns of the parsed text back to the file as typed (see parseTree's repairs). */
    readonly originalColumn: (line: number, column: number) => number,
  ) {}

  /** Where a node is in the file as typed. */
  position(node: unknown, path: (string | number)[]): Position {
    const p = nodePosition(this.lc, node, path);
    return p.line !== undefined && p.column !== undefined ? { ...p, column: this.originalColumn(p.line, p.column) } : p;
  }

  push(severity: Severity, code: MessageCode, params: MessageParams, node: unknown, path: (string | number)[]) {
    this.diagnostics.push(makeDiagnostic(severity, code, params, this.position(node, path)));
  }

  /**
   * The pairs of a mapping by key, reporting duplicates (at the second), reserved keys
   * and unknown keys (with a suggestion). `accept` maps a key to its canonical name or a verdict.
   */
  entries(map: YAMLMap, path: (string | number)[], accept: (key: string) => KeyVerdict): Map<string, Pair> {
    const out = new Map<string, Pair>();
    const firstSeen = new Map<string, Pair>();
    for (const pair of map.items as Pair[]) {
      const key = keyText(pair);
      const keyPath = [...path, key];
      const firstPair = firstSeen.get(key);
      if (firstPair) {
        this.push('error', 'yaml/duplicate-key', { key, firstLine: nodePosition(this.lc, firstPair.key).line ?? '?' }, pair.key, keyPath);
        continue;
      }
      firstSeen.set(key, pair);
      if (RESERVED.has(key.trim())) {
        this.push('error', 'schema/reserved-key', { key }, pair.key, keyPath);
        continue;
      }
      if (/^[\u3000]/.test(key)) {
        this.push('error', 'yaml/fullwidth-space', {}, pair.key, keyPath);
        continue;
      }
      if (key.includes('：')) {
        this.push('error', 'yaml/fullwidth-colon', { key: key.split('：')[0]!.trim() }, pair.key, keyPath);
        continue;
      }
      const verdict = accept(key);
      if (typeof verdict === 'string') {
        out.set(verdict, pair);
        continue;
      }
      if (verdict.suggestion) this.suggested.add(verdict.suggestion);
      const hint = verdict.suggestion
        ? t('schema/did-you-mean', { suggestion: verdict.suggestion })
        : verdict.allowed
          ? t('schema/allowed-keys', { allowed: verdict.allowed.join(', ') })
          : '';
      this.push('error', verdict.code ?? 'schema/unknown-key', { key, hint, ...verdict.params }, pair.key, keyPath);
    }
    return out;
  }

  missing(key: string, label: string) {
    if (this.suggested.has(key)) return; // the did-you-mean on the misspelt key already says it
    this.diagnostics.push(makeDiagnostic('error', 'schema/required', { key, label }, { line: 1, column: 1, path: [key] }));
  }

  isEmpty(node: unknown): boolean {
    return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ''));
  }

  /** The source text of a scalar, as typed (null when absent or not a scalar). */
  raw(node: unknown): string | undefined {
    if (node === null || node === undefined || !isScalar(node)) return undefined;
    if (node.value === null) return '';
    return node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : String(node.value);
  }

  map(pair: Pair, path: (string | number)[]): YAMLMap | undefined {
    if (isMap(pair.value)) return pair.value;
    if (this.isEmpty(pair.value)) return undefined;
    const raw = this.raw(pair.value);
    const colons = fullwidthColonLines(pair.value, this.source, this.lc);
    if (colons.length)
      for (const c of colons)
        this.diagnostics.push(makeDiagnostic('error', 'yaml/fullwidth-colon', { key: c.key }, { line: c.line, column: this.originalColumn(c.line, c.column), path }));
    else if (raw && /：/.test(raw)) this.push('error', 'yaml/fullwidth-colon', { key: raw.split('：')[0]!.trim() }, pair.value, path);
    else this.push('error', 'schema/expected-mapping', { key: path.join('.') }, pair.value, path);
    return undefined;
  }

  /** A top-level list, undefined when absent or empty (no finding) or not a list (a finding). */
  list(pair: Pair | undefined, key: string): YAMLSeq | undefined {
    if (!pair || this.isEmpty(pair.value)) return undefined;
    if (isSeq(pair.value)) return pair.value;
    this.push('error', 'schema/expected-list', { key }, pair.value, [key]);
    return undefined;
  }

  /** A text value; empty is an error unless `optional`. */
  text(pair: Pair, path: (string | number)[], optional = false): string | undefined {
    const node = pair.value;
    if (this.isEmpty(node)) {
      if (!optional) this.push('error', 'value/empty', { key: path.join('.') }, pair.key, path);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value === 'object') {
      this.push('error', 'schema/expected-text', { key: path.join('.') }, node, path);
      return undefined;
    }
    const value = typeof node.value === 'string' ? node.value : this.raw(node) ?? String(node.value);
    return value.trim() === '' ? undefined : value.trim();
  }

  requiredText(fields: Map<string, Pair>, key: SubmissionKey): string | undefined {
    const pair = fields.get(key);
    if (!pair) {
      this.missing(key, SUBMISSION_KEYS[key]);
      return undefined;
    }
    return this.text(pair, [key]);
  }

  boolean(pair: Pair, path: (string | number)[]): boolean | undefined {
    const raw = (this.raw(pair.value) ?? '').trim();
    if (/^(true|yes|是|已曝光|y)$/i.test(raw)) return true;
    if (/^(false|no|否|未曝光|n|)$/i.test(raw)) return false;
    this.push('error', 'schema/expected-boolean', { key: path.join('.') }, pair.value, path);
    return undefined;
  }

  /** Unwrap a Reading, recording its problem at the node. */
  reading<T>(r: Reading<T>, node: unknown, path: (string | number)[]): T | undefined {
    if ('value' in r) return r.value;
    if ('problem' in r) this.push('error', r.problem, r.params, node, path);
    return undefined;
  }

  /** The node at a path of string keys and list indexes, for rules that point at a field. */
  nodeAtPath(root: YAMLMap, path: (string | number)[]): Node | null {
    let node: unknown = root;
    let last: unknown = root;
    for (const step of path) {
      if (isMap(node)) {
        const pair = (node.items as Pair[]).find((p) => keyText(p) === String(step));
        if (!pair) break;
        last = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof step === 'number') node = node.items[step];
      else break;
      if (node) last = node;
    }
    return (last as Node) ?? null;
  }
}
