/** The status report for people (a table) and for programs (JSON), and the reminder texts. */
import { join } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import { list, t } from '../messages/index.js';
import type { DepartmentState, DepartmentStatus } from '../model.js';
import type { StatusReport, UnknownFile } from '../status/status.js';
import { formatBeijing, formatBeijingDate, splitDuration } from '../status/time.js';
import { cellName } from './diagnostics.js';
import { paint, shellQuoted } from './style.js';
import { renderTable, type Cell } from './table.js';

const STATE_COLOUR: Record<DepartmentState, (s: string) => string> = {
  submitted: paint.green,
  late: paint.yellow,
  invalid: paint.red,
  duplicate: paint.magenta,
  missing: paint.red.bold,
};

export const stateLabel = (state: DepartmentState) => t(`state/${state}`);

/** 剩余 3 天 5 小时 / 剩余 5 小时 20 分钟 / 已逾期 2 天 3 小时 */
export function describeRemaining(ms: number): string {
  const { days, hours, minutes } = splitDuration(ms);
  if (ms < 0) return t('status/overdue', { days, hours });
  return days > 0 ? t('status/remaining', { days, hours }) : t('status/remaining-hours', { hours, minutes });
}

/** The command that shows a broken file's errors, safe to paste; undefined when its path cannot be quoted safely. */
const validateCommand = (dir: string, file: string) => {
  const quoted = shellQuoted(join(dir, file));
  return quoted && `report validate ${quoted}`;
};

export interface StatusView {
  /** Every department, however many. */
  all?: boolean;
  /** Borders of + - | (see prefersAscii). */
  ascii?: boolean;
  /** Departments that fit on the screen: beyond that, only those that need action are listed. */
  fits?: number;
}

export function renderStatus(report: StatusReport, campaign: Campaign, dir: string, view: StatusView = {}): string {
  const remaining = describeRemaining(report.remainingMs);
  const out: string[] = [
    paint.bold(t('status/title', { campaign: campaign.title })),
    `${t('status/deadline', { deadline: formatBeijing(report.deadline) })}　${t('status/as-of', { asOf: formatBeijing(report.asOf) })}　${(report.remainingMs < 0 ? paint.red.bold : paint.cyan.bold)(remaining)}`,
  ];
  const head = ['status/col-no', 'status/col-department', 'status/col-state', 'status/col-file', 'status/col-submitted-at', 'status/col-filled-by', 'status/col-contact'] as const;
  // A province's table of a thousand units is not read by anyone: the units to act on are.
  const numbered = report.departments.map((d, i) => ({ d, i }));
  const shortened = !view.all && numbered.length > (view.fits ?? Infinity);
  const listed = shortened ? numbered.filter(({ d }) => d.state !== 'submitted') : numbered;
  // The dash is of ambiguous width too: with ASCII borders, an ASCII one.
  const none = view.ascii ? '-' : '—';
  const rows = listed.map(({ d, i }): Cell[] => {
    const isIn = d.state === 'submitted';
    const state = d.state === 'invalid' ? `${stateLabel(d.state)}（${t('status/errors', { count: d.errorCount ?? 0 })}）` : stateLabel(d.state);
    return [
      String(i + 1),
      d.name,
      { text: state, paint: STATE_COLOUR[d.state] },
      d.files.join('\n') || none,
      sentCell(d, none),
      d.filledBy ?? none,
      isIn ? '' : `${d.contact.name} ${d.contact.phone}`,
    ];
  });
  if (shortened) out.push(t('status/shortened', { total: numbered.length, shown: listed.length }));
  if (listed.length) out.push(renderTable(head.map((k) => t(k)), rows, { ascii: view.ascii }));
  out.push(t('status/counts', { ...report.counts, total: report.departments.length }));

  const toCall = report.departments.filter((d) => d.state !== 'submitted' && d.state !== 'late');
  if (toCall.length === 0) out.push(paint.green(t('status/all-in')));
  else {
    out.push('', paint.bold(t('status/to-call')));
    for (const d of toCall) {
      out.push(`  ${t('status/call-line', { name: d.name, state: stateLabel(d.state), contact: d.contact.name, phone: d.contact.phone })}`);
      if (d.state === 'invalid') out.push(`    ${t('status/fix-hint', { command: validateCommand(dir, d.files[0]!) ?? t('status/fix-hint-unquotable') })}`);
      if (d.state === 'duplicate') out.push(`    ${t('status/duplicate-hint', { files: list(d.files) })}`);
    }
  }
  // A lower level's table that is in but leaves units out: its figures are not complete.
  const partial = report.departments.filter((d) => d.gaps?.length);
  if (partial.length) {
    out.push('', paint.bold(t('status/gaps')));
    for (const d of partial) out.push(`  ${paint.yellow(t('status/gaps-line', { name: d.name, gaps: d.gaps!.join('；') }))}`);
  }
  if (report.unknownFiles.length) {
    out.push('', paint.bold(t('status/unknown-files')));
    for (const f of report.unknownFiles) {
      out.push(`  ${describeUnknown(f, dir)}`);
    }
  }
  if (report.uncoveredTasks.length) {
    out.push('', paint.bold(t('status/uncovered', { count: report.uncoveredTasks.length })));
    for (const task of report.uncoveredTasks) out.push(`  ${t('status/uncovered-line', { ...task, departments: list(task.departments) })}`);
  }
  return out.join('\n');
}

/** When a department's file came, and on what that rests: its own date, the file's time, or not known. */
function sentCell(d: DepartmentStatus, none: string): string {
  const doubt = d.submittedAtDoubt ? t('status/doubt-note', { value: d.submittedAtDoubt }) : '';
  if (d.submittedAtSource === 'unknown') return `${t('status/time-unknown')}${doubt}`;
  if (!d.submittedAt) return none;
  return `${d.submittedAt}${d.submittedAtSource === 'mtime' ? t('status/mtime-note') : ''}${doubt}`;
}

/** A file that counts for no department, and why. */
export const describeUnknown = (f: UnknownFile, dir: string) =>
  t(`status/unknown-${f.reason === 'unknown-department' ? 'department' : f.reason}`, { file: f.file, detail: f.detail ?? '', dir });

/** A ready-to-send 催报 message for each department that is not in. */
export function reminders(report: StatusReport, campaign: Campaign, dir: string, now: Date): { id: string; name: string; text: string }[] {
  const remaining = describeRemaining(report.remainingMs);
  const timing = report.remainingMs < 0 ? t('remind/timing-over', { remaining }) : t('remind/timing-left', { remaining });
  return report.departments
    .filter((d) => d.state === 'missing' || d.state === 'invalid' || d.state === 'duplicate')
    .map((d) => ({ id: d.id, name: d.name, text: reminderText(d, campaign, dir, now, timing) }));
}

function reminderText(d: DepartmentStatus, campaign: Campaign, dir: string, now: Date, timing: string): string {
  const lines = [
    t('remind/greeting', { name: d.name, contact: d.contact.name }),
    `　　${t('remind/due', { campaign: campaign.title, deadline: formatBeijing(campaign.deadline), deliverables: list(campaign.deliverables), issuer: campaign.issuer })}`,
  ];
  if (d.state === 'missing') lines.push(`　　${t('remind/missing', { asOf: formatBeijing(now), timing })}`);
  if (d.state === 'duplicate') lines.push(`　　${t('remind/duplicate', { files: list(d.files) })}`);
  if (d.state === 'invalid') {
    const file = d.files[0]!;
    const errors = d.checked?.diagnostics.filter((x) => x.severity === 'error') ?? [];
    lines.push(`　　${t('remind/invalid', { file, count: errors.length })}`);
    for (const e of errors.slice(0, 8))
      lines.push(e.sheet ? t('remind/invalid-cell', { cell: cellName(e.sheet, e.cell), message: e.message }) : t('remind/invalid-line', { line: e.line ?? 1, message: e.message }));
    if (errors.length > 8) lines.push(t('remind/invalid-more', { count: errors.length - 8, file: join(dir, file) }));
  }
  lines.push(`　　${t('remind/closing')}`, `${t('remind/signature', { issuer: campaign.issuer, date: formatBeijingDate(now) })}`);
  return lines.join('\n');
}

export function renderReminders(report: StatusReport, campaign: Campaign, dir: string, now: Date, ascii = false): string {
  const all = reminders(report, campaign, dir, now);
  if (all.length === 0) return '';
  const rule = (ascii ? '-' : '─').repeat(40);
  return ['', paint.bold(t('status/reminders')), ...all.flatMap((r) => [rule, r.text]), rule].join('\n');
}

/** The `--json` shape of status. */
export function statusJson(report: StatusReport, campaign: Campaign, remind?: { dir: string; now: Date }) {
  return {
    campaign: report.campaign,
    deadline: report.deadline,
    asOf: report.asOf,
    remainingMs: report.remainingMs,
    departments: report.departments.map((d) => ({
      id: d.id,
      name: d.name,
      state: d.state,
      files: d.files,
      submittedAt: d.submittedAt ?? null,
      submittedAtSource: d.submittedAtSource ?? null,
      submittedAtDoubt: d.submittedAtDoubt ?? null,
      filledBy: d.filledBy ?? null,
      phone: d.phone ?? null,
      errorCount: d.errorCount ?? 0,
      contact: d.contact,
      gaps: d.gaps ?? [],
    })),
    counts: report.counts,
    unknownFiles: report.unknownFiles,
    uncoveredTasks: report.uncoveredTasks,
    ...(remind && { reminders: reminders(report, campaign, remind.dir, remind.now) }),
  };
}
