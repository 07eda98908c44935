/**
 * The data model shared by every command. Submissions are read once into these
 * types; status and merge only ever see them, never the YAML.
 */
import type { Diagnostic, Position } from './diagnostics.js';

/** One typical case (典型案例) reported by a department. */
export interface Case {
  title: string;
  /** Task number of the plan this case belongs to. */
  task: number;
  /** YYYY-MM-DD */
  date: string;
  summary: string;
  result?: string;
  /** 罚没款, 万元; undefined when not given. */
  fine?: number;
  exposed: boolean;
  /** 违反《……》第…条，依据第…条: the law broken and the law applied; undefined when not given. */
  legalBasis?: string;
  /** 典型意义: why the case matters; undefined when not given. */
  significance?: string;
  /** A case read from a lower level's merged table: the unit below it that reported the case (a path: 黄山区／区林业局). */
  unit?: string;
}

/** Between the units of a path (黄山市／黄山区／区林业局): the unit that wrote a row, seen from the top. */
export const UNIT_PATH = '／';

/** What a lower level's merged table leaves out of its figures: the unit (a path below that level; '' for the level itself) and why. */
export interface Gap {
  unit: string;
  /** 未报送, 报送有误, 重复报送, 未填 抽检、不合格, 跳过未能归属的文件 …: as written in 备注. */
  reason: string;
}

/**
 * What a lower level's merged table carries beside its figures, row by row, each with the
 * unit below it that wrote it (a path): the upper level writes one row per row, never one
 * text per level, so a province still names the district's bureau that wrote a line.
 */
export interface Rollup {
  tasks: { task: number; unit: string; text: string }[];
  summaries: { unit: string; text: string }[];
  gaps: Gap[];
}

/**
 * A department's submission after checking. A statistic that was left empty or out
 * is absent from `statistics` (undefined): never 0.
 */
export interface Submission {
  /** Department id from the campaign. */
  department: string;
  filledBy: string;
  reviewedBy?: string;
  /** 单位负责人, when the file names one. */
  leader?: string;
  phone: string;
  /** Normalised to YYYY-MM-DD or YYYY-MM-DDTHH:mm (Beijing time); undefined when absent. */
  submittedAt?: string;
  statistics: Map<string, number>;
  /** Task number → what was done. Empty texts are left out. */
  tasks: Map<number, string>;
  cases: Case[];
  /** The summary text (from `summary` or the file named by `summary_file`). */
  summary?: string;
  /** The summary file's path as written, when the summary came from one. */
  summaryFile?: string;
  /** That file's size and SHA-256 as it was read for the check: the bytes `summary` came from. */
  summaryDigest?: { size: number; sha256: string };
  /** Material paths as written, relative to the submission's folder. */
  materials: string[];
  /** A lower level's merged table: its rows by unit and what its figures leave out. */
  rollup?: Rollup;
  /** 图片说明: a material's path as written → what it shows (时间、地点、事由), where one was given. */
  captions?: Map<string, string>;
}

/**
 * What `status` needs of a submission: a few fields instead of every text, so that a
 * province's folder checked on worker threads is not copied whole to the main thread.
 */
export interface SubmissionBrief {
  filledBy: string;
  phone: string;
  submittedAt?: string;
  /** Numbers of the tasks the submission has a text for. */
  tasks: number[];
  /** A lower level's merged table: what its figures leave out, as written in 备注 (区林业局（未报送）). */
  gaps?: string[];
  /** Indicator id → the figure and where it was typed: for the warnings against earlier rounds (src/history). */
  figures?: Record<string, { value: number; at: Position }>;
  /** True for a lower level's merged table (its package beside it is its materials). */
  merged?: boolean;
}

/** One file read from disk and checked. */
export interface CheckedFile {
  /** Path as given or found (relative to the cwd or to the folder scanned). */
  file: string;
  /** Department id the file claims, when it could be resolved. */
  department?: string;
  /** Present when the file has no errors (warnings allowed). */
  brief?: SubmissionBrief;
  /** The whole submission: present when the file has no errors and the caller asked for it (merge). */
  submission?: Submission;
  diagnostics: Diagnostic[];
  ok: boolean;
  /** SHA-256 of the file's bytes, hex. */
  sha256?: string;
  /** The number of those bytes (with sha256). */
  size?: number;
  /** A merged table's second workbook (汇总表（附表）.xlsx) read with it: its name and the bytes' size and SHA-256. */
  secondFile?: { file: string; size: number; sha256: string };
  /** File modification time, ms since epoch. */
  mtimeMs?: number;
  /** True when the file is not a submission at all (no `department`, or not YAML). */
  isForeign?: boolean;
  /** The decoded text, for showing the offending lines. */
  source?: string;
  /** The summary file the text names, valid or not: it belongs to this file, it is no stray file. */
  summaryFile?: string;
}

export type DepartmentState = 'submitted' | 'late' | 'invalid' | 'duplicate' | 'missing';

/** The state of one department in a folder of submissions at a given moment. */
export interface DepartmentStatus {
  id: string;
  name: string;
  state: DepartmentState;
  /** Every file that claims this department. */
  files: string[];
  /**
   * When it was sent: the submission's own date, or the file's modification time when the
   * submission gives none (or one that cannot be right); absent when neither can be trusted.
   * See `submittedAtSource`.
   */
  submittedAt?: string;
  submittedAtSource?: 'file' | 'mtime' | 'unknown';
  /** A submitted_at later than the moment of the count: shown as doubtful, never used. */
  submittedAtDoubt?: string;
  filledBy?: string;
  phone?: string;
  contact: { name: string; phone: string };
  /** A lower level's merged table: what its figures leave out (see SubmissionBrief.gaps). */
  gaps?: string[];
  /** Number of errors, for `invalid`. */
  errorCount?: number;
  /** The checked file, for submitted, late and invalid. */
  checked?: CheckedFile;
}

/** The department's submission, when it is merged: it was submitted, on time or late. */
export const submissionOf = (s: DepartmentStatus | undefined): Submission | undefined =>
  s && (s.state === 'submitted' || s.state === 'late') ? s.checked?.submission : undefined;
