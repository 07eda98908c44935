/**
 * What the pipeline has to say while it gathers, checks and writes: handed out as data, never
 * printed here. A command prints the events (reporters/pipeline.ts); the server could show them
 * on a page. A refusal comes with the exit code the function returns beside it.
 */
import type { MessageCode, MessageParams } from '../messages/index.js';
import type { CheckedFile, DepartmentStatus } from '../model.js';
import type { UnknownFile } from '../status/status.js';

export type PipelineEvent =
  /** A usage problem (a missing folder, an output in the way): the message, said as it is. */
  | { type: 'refused'; code: MessageCode; params?: MessageParams }
  /** Files that could be a department's but count for none: refused, or left out on the user's word. */
  | { type: 'unattributed'; files: readonly UnknownFile[]; dir: string; skipped: boolean }
  /** Present submissions that stop the merge: broken, or claimed twice. */
  | { type: 'blocked'; departments: readonly DepartmentStatus[] }
  /** Departments that have not reported (the merge stops for them when strict). */
  | { type: 'missing'; departments: readonly DepartmentStatus[]; strict: boolean }
  /** What the earlier rounds say of themselves (a period read from a title, a unit converted). */
  | { type: 'history-notes'; notes: readonly string[] }
  /** How many files have figures far from the earlier round. */
  | { type: 'history-warnings'; count: number }
  /** A department's own file that cannot be packed alone: its findings, and why. */
  | { type: 'own-refused'; file: string; checked?: CheckedFile; reason: 'pack/own-foreign' | 'pack/own-invalid' }
  /** A step of a long read or write (files read, rows written, materials copied). */
  | { type: 'progress'; code: 'ui/progress-read' | 'ui/progress-rows' | 'ui/progress-copy'; params: MessageParams }
  /** The long step is over: a progress line shown is taken away. */
  | { type: 'progress-done' };

export type Emit = (event: PipelineEvent) => void;
