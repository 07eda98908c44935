/**
 * The result of checking a submission, and what is added to a kept check on every run. No
 * parser or schema here: a file whose check was kept from an earlier run is completed without
 * loading either (see load.ts).
 */
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import type { Submission, SubmissionBrief } from '../model.js';
import { checkOutside, type OutsideRefs } from './rules.js';

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
 * What a file's content alone says. It depends on nothing but the content and the campaign,
 * so it can be kept and reused while the file is unchanged (see load.ts).
 */
export interface TextCheck extends CheckResult {
  /** What the content refers to outside itself, checked by checkOutside on every run. */
  outside: OutsideRefs;
}

/** Add the checks outside the content (materials, summary file, today's date) to a content's check. */
export function completeCheck(text: TextCheck, file: string, now: Date): CheckResult {
  const outside = checkOutside(text.outside, file, now);
  const diagnostics = [...text.diagnostics, ...outside.diagnostics];
  const result: CheckResult = { diagnostics, isForeign: text.isForeign };
  if (text.department) result.department = text.department;
  if (text.brief && !hasErrors(diagnostics)) {
    result.brief = text.brief;
    const { summary } = outside;
    if (text.submission) result.submission = summary ? { ...text.submission, summary: summary.text, summaryDigest: { size: summary.size, sha256: summary.sha256 } } : text.submission;
  }
  return result;
}

