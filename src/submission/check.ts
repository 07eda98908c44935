/**
 * One submission to a Submission and its diagnostics, whatever its format:
 * source (bytes → plain data + where each value was typed) → the zod schema built from the
 * campaign (schema.ts) → the named rules (rules.ts) on the typed data. Findings are placed
 * through the source's map (findings.ts).
 */
import type { Campaign } from '../campaign/schema.js';
import { makeDiagnostic, hasErrors, type Diagnostic } from '../diagnostics.js';
import type { Case, Submission, SubmissionBrief } from '../model.js';
import type { SourceRead } from '../source/source.js';
import { readYamlSource } from '../source/yaml.js';
import { gapText } from '../status/gaps.js';
import { place, placeFindings } from './findings.js';
import { runRules, type OutsideRefs } from './rules.js';
import { completeCheck, type CheckResult, type TextCheck } from './result.js';
import { looksLikeSubmission, submissionSchemas, type SubmissionData } from './schema.js';

export type { CheckResult, TextCheck } from './result.js';

export interface CheckOptions {
  campaign: Campaign;
  /** Path of the submission file: materials and summary_file are resolved beside it. */
  file: string;
  /** For date plausibility; defaults to now. */
  now?: Date;
}

/** Check the text of one submission, then what it refers to on disk. */
export function checkSubmission(text: string, options: CheckOptions): CheckResult {
  return completeCheck(checkText(text, options.campaign), options.file, options.now ?? new Date());
}

/** Check a YAML submission's text. Pure. */
export function checkText(text: string, campaign: Campaign): TextCheck {
  return checkSource(readYamlSource(text), campaign);
}

const isBlank = (v: unknown) => v === null || (typeof v === 'string' && v.trim() === '');

/** Check what a source read says: the schema, then the rules. Pure. */
export function checkSource(read: SourceRead, campaign: Campaign): TextCheck {
  const diagnostics = [...read.diagnostics];
  const none: OutsideRefs = { materials: [] };
  if (read.data === undefined) return { diagnostics, isForeign: false, outside: none };
  const { map } = read;
  const schemas = submissionSchemas(campaign);
  const parsed = schemas.strict.safeParse(read.data);
  const isForeign = !isBlank(read.data) && !looksLikeSubmission(read.data);
  let data: SubmissionData | undefined;
  if (parsed.success) data = parsed.data;
  else {
    // One by one: a spread of 80,000 findings (a column filled down) overflows the stack.
    for (const finding of placeFindings(parsed.error.issues, map)) diagnostics.push(finding);
    // The rules still check what could be read, so one run reports every mistake.
    if (!isForeign && typeof read.data === 'object' && !Array.isArray(read.data)) {
      const partial = schemas.lenient.safeParse(read.data);
      if (partial.success) data = partial.data;
    }
  }
  if (!data || isForeign) return { diagnostics: byPlace(diagnostics), isForeign, outside: none };

  runRules({
    campaign,
    data,
    report: (severity, code, params, path, at) => {
      // A key named in a message is named as the source shows it (a workbook's 报送日期, not submitted_at).
      const label = params.key !== undefined && params.key === path.at(-1) ? map.name?.(path) : undefined;
      diagnostics.push(makeDiagnostic(severity, code, label ? { ...params, key: label } : params, { ...place(map, at?.path ?? path, at?.part), path: [...path] }));
    },
    // An error about the file or a sheet as a whole (no path: 统计表 deleted) covers every key.
    hasErrorAt: (key) => diagnostics.some((d) => d.severity === 'error' && (d.path === undefined || d.path.length === 0 || d.path[0] === key)),
    has: (key) => typeof read.data === 'object' && read.data !== null && Object.hasOwn(read.data, key),
  });
  const outside: OutsideRefs = { materials: data.materials.map((m) => ({ value: m.value, at: { ...place(map, ['materials', m.index]), path: ['materials', m.index] } })) };
  if (data.summaryFile !== undefined) outside.summaryFile = { path: data.summaryFile, at: { ...place(map, ['summary_file']), path: ['summary_file'] } };
  if (typeof data.submittedAt === 'string') outside.submittedAt = { value: data.submittedAt, at: { ...place(map, ['submitted_at']), path: ['submitted_at'] }, key: map.name?.(['submitted_at']) ?? 'submitted_at' };

  const result: TextCheck = { diagnostics: byPlace(diagnostics), isForeign: false, outside };
  if (data.department) result.department = data.department.id;
  if (data.department && !hasErrors(diagnostics)) {
    result.submission = toSubmission(data, data.department.id);
    if (read.rollup) {
      result.submission.rollup = read.rollup;
      read.caseUnits?.forEach((unit, i) => {
        const c = result.submission!.cases[i];
        if (c && unit) c.unit = unit;
      });
    }
    result.brief = briefOf(result.submission);
    result.brief.figures = Object.fromEntries([...data.statistics].map(([id, f]) => [id, { value: f.value, at: place(map, ['statistics', f.key]) }]));
  }
  return result;
}

/** Findings in the order of the file (a stable sort: findings at one place keep their order). */
function byPlace(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.i - b.i)
    .map(({ d }) => d);
}

/** The submission of data without errors. */
function toSubmission(data: SubmissionData, department: string): Submission {
  const submission: Submission = {
    department,
    filledBy: data.filledBy ?? '',
    phone: data.phone ?? '',
    statistics: new Map([...data.statistics].map(([id, f]) => [id, f.value])),
    tasks: new Map([...data.tasks].map(([no, task]) => [no, task.text])),
    cases: data.cases.map((c): Case => ({ title: c.title ?? '', task: c.task ?? 0, date: c.date ?? '', summary: c.summary ?? '', exposed: c.exposed ?? false, ...(c.result && { result: c.result }), ...(c.fine !== undefined && { fine: c.fine }), ...(c.legal_basis && { legalBasis: c.legal_basis }), ...(c.significance && { significance: c.significance }) })),
    materials: data.materials.map((m) => m.value),
  };
  if (data.reviewedBy) submission.reviewedBy = data.reviewedBy;
  if (data.leader) submission.leader = data.leader;
  if (data.submittedAt) submission.submittedAt = data.submittedAt;
  if (data.summary) submission.summary = data.summary;
  if (data.summaryFile) submission.summaryFile = data.summaryFile;
  const captions = Object.entries(data.captions ?? {}).filter(([, caption]) => caption !== '');
  if (captions.length) submission.captions = new Map(captions);
  return submission;
}

/** What status needs of a submission (see SubmissionBrief). */
function briefOf(s: Submission): SubmissionBrief {
  const brief: SubmissionBrief = { filledBy: s.filledBy, phone: s.phone, tasks: [...s.tasks.keys()] };
  if (s.submittedAt !== undefined) brief.submittedAt = s.submittedAt;
  if (s.rollup) brief.merged = true;
  if (s.rollup?.gaps.length) brief.gaps = s.rollup.gaps.map(gapText);
  return brief;
}
