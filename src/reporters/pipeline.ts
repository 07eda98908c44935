/**
 * The pipeline's events (pipeline/events.ts) as the terminal shows them: refusals as said,
 * broken files with their findings, missing departments with whom to call, a progress line
 * on a terminal only. And what merge says after writing.
 */
import { progress, type Io } from '../io.js';
import { list, t } from '../messages/index.js';
import type { Emit, PipelineEvent } from '../pipeline/events.js';
import type { MergeReady } from '../pipeline/merge.js';
import type { MergeWriteResult } from '../template/write.js';
import { formatDiagnostics } from './diagnostics.js';
import { describeUnknown, stateLabel } from './status.js';
import { paint } from './style.js';

/** An Emit that prints each event to `io` (standard error: standard output is for the result). */
export function printEvents(io: Io): Emit {
  // One line a step: the next step's first update is shown at once, not held back by the last one's pace.
  let bar = progress(io);
  return (event) => {
    if (event.type === 'progress') bar.update(t(event.code, event.params));
    else if (event.type === 'progress-done') {
      bar.done();
      bar = progress(io);
    } else for (const text of eventTexts(event)) io.stderr(text);
  };
}

/** The texts of an event that is said, not drawn: each written as it comes. */
function eventTexts(event: Exclude<PipelineEvent, { type: 'progress' | 'progress-done' }>): string[] {
  switch (event.type) {
    case 'refused':
      return [t(event.code, event.params)];
    case 'unattributed': {
      const lines = event.files.map((f) => `  ${describeUnknown(f, event.dir)}`).join('\n');
      if (event.skipped) return [`${paint.yellow.bold(t('merge/unattributed-skipped', { count: event.files.length }))}\n${lines}`];
      return [`${paint.red.bold(t('merge/unattributed', { count: event.files.length }))}\n${lines}\n${t('merge/unattributed-hint')}`];
    }
    case 'blocked':
      return [
        ...event.departments.map((d) => (d.state === 'invalid' && d.checked ? formatDiagnostics(d.checked) : `${d.name}：${t('status/duplicate-hint', { files: list(d.files) })}`)),
        paint.red.bold(t('merge/blocked', { names: list(event.departments.map((d) => `${d.name}（${stateLabel(d.state)}）`)) })),
      ];
    case 'missing': {
      const count = event.departments.length;
      const lines = event.departments.map((d) => `  ${t('status/call-line', { name: d.name, state: stateLabel(d.state), contact: d.contact.name, phone: d.contact.phone })}`);
      return [paint.yellow.bold(t(event.strict ? 'merge/missing-strict' : 'merge/missing-warning', { count })) + '\n' + lines.join('\n')];
    }
    case 'history-notes':
      return [paint.yellow(event.notes.join('\n'))];
    case 'history-warnings':
      return [paint.yellow(t('history/merge-warnings', { count: event.count }))];
    case 'own-refused': {
      const findings = event.checked?.diagnostics.length ? [formatDiagnostics(event.checked)] : [];
      return [...findings, paint.red.bold(t(event.reason, { file: event.file }))];
    }
  }
}

/** What merge reports after writing: departments in, the missing ones, the totals by column group. */
export function mergeReport(ready: Pick<MergeReady, 'campaign' | 'report' | 'missing' | 'skipped'>, result: MergeWriteResult): string[] {
  const { campaign, report, missing, skipped } = ready;
  const inCount = report.counts.submitted + report.counts.late;
  const groups = new Map<string, string[]>();
  for (const i of campaign.indicators)
    if (result.totals[i.id] !== undefined) groups.set(i.group, [...(groups.get(i.group) ?? []), `${i.label} ${result.totals[i.id]} ${i.unit}`]);
  return [
    t('merge/in', { count: inCount, total: report.departments.length, late: report.counts.late }),
    missing.length ? paint.yellow(t('merge/missing-line', { names: list(missing.map((d) => `${d.name}（${d.contact.name} ${d.contact.phone}）`)) })) : '',
    skipped.length ? paint.yellow(t('merge/skipped-line', { files: list(skipped.map((f) => f.file)) })) : '',
    groups.size ? t(missing.length ? 'merge/totals' : 'merge/totals-all') : '',
    ...[...groups].map(([group, items]) => `  ${group}：${list(items)}`),
  ].filter(Boolean);
}

