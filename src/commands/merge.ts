/** `report merge`: one workbook for higher authorities, written whole or not at all. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../diagnostics.js';
import { list, t } from '../messages/index.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { stateLabel } from '../reporters/status.js';
import { paint } from '../reporters/style.js';
import { isoDateBeijing } from '../status/time.js';
import { isWithin, realOrSelf, shownPath } from '../fs.js';
import { loadCampaign } from '../campaign/load.js';
import { DEFAULT_DIR, gatherFolder } from '../submission/folder.js';
import { progress, type Io } from '../io.js';

export interface MergeOptions {
  dir?: string;
  template?: string;
  out?: string;
  force?: boolean;
  strict?: boolean;
  asOf?: string;
  campaign?: string;
}

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

export async function merge(options: MergeOptions, io: Io): Promise<ExitCode> {
  // The output is settled first: refusing it must not wait for a province's files to be read.
  const campaign = await loadCampaign(options.campaign);
  const dir = options.dir ?? DEFAULT_DIR;
  const out = resolve(options.out ?? join('out', `${campaign.table_title}.xlsx`));
  const shown = shownPath(out);
  if (isWithin(realOrSelf(resolve(dir)), realOrSelf(dirname(out)))) {
    io.stderr(t('usage/output-in-submissions', { dir }));
    return ExitCode.usage;
  }
  if (existsSync(out) && !options.force) {
    io.stderr(t('usage/output-exists', { file: shown }));
    return ExitCode.usage;
  }

  const gathered = await gatherFolder({ ...options, dir }, io, { campaign });
  if (typeof gathered === 'number') return gathered;
  const { report, now } = gathered;

  // Nothing is written while any present submission is broken or claimed twice.
  const blocked = report.departments.filter((d) => d.state === 'invalid' || d.state === 'duplicate');
  if (blocked.length) {
    for (const d of blocked) {
      if (d.state === 'invalid' && d.checked) io.stderr(formatDiagnostics(d.checked));
      else io.stderr(`${d.name}：${t('status/duplicate-hint', { files: list(d.files) })}`);
    }
    io.stderr(paint.red.bold(t('merge/blocked', { names: list(blocked.map((d) => `${d.name}（${stateLabel(d.state)}）`)) })));
    return ExitCode.findings;
  }
  const missing = report.departments.filter((d) => d.state === 'missing');
  if (missing.length) {
    const lines = missing.map((d) => `  ${t('status/call-line', { name: d.name, state: stateLabel(d.state), contact: d.contact.name, phone: d.contact.phone })}`);
    const head = options.strict ? t('merge/missing-strict', { count: missing.length }) : t('merge/missing-warning', { count: missing.length });
    io.stderr(paint.yellow.bold(head) + '\n' + lines.join('\n'));
    if (options.strict) return ExitCode.findings;
  }

  const bundled = join(TEMPLATES, `${campaign.id}.xlsx`);
  const templatePath = options.template ?? (existsSync(bundled) ? bundled : undefined);
  const { writeMergedWorkbook } = await import('../workbook/write.js');
  const bar = progress(io);
  const result = await writeMergedWorkbook({
    campaign,
    statuses: report.departments,
    outPath: out,
    fillDate: fillDate(report.departments, options.asOf ? now : undefined, campaign.deadline),
    onRows: (done) => bar.update(t('ui/progress-rows', { done })),
    ...(options.force && { force: true }),
    ...(templatePath && { templatePath, templateShown: options.template ?? shownPath(templatePath) }),
  }).finally(() => bar.done());

  printTemplateNotes(io, result.notes);
  const inCount = report.counts.submitted + report.counts.late;
  // Totals by the table's column groups, one line each.
  const groups = new Map<string, string[]>();
  for (const i of campaign.indicators)
    if (result.totals[i.id] !== undefined) groups.set(i.group, [...(groups.get(i.group) ?? []), `${i.label} ${result.totals[i.id]} ${i.unit}`]);
  io.stdout(
    [
      paint.bold(t('merge/done', { file: shown })),
      t('merge/in', { count: inCount, total: report.departments.length, late: report.counts.late }),
      missing.length ? paint.yellow(t('merge/missing-line', { names: list(missing.map((d) => `${d.name}（${d.contact.name} ${d.contact.phone}）`)) })) : '',
      groups.size ? t('merge/totals') : '',
      ...[...groups].map(([group, items]) => `  ${group}：${list(items)}`),
    ].filter(Boolean).join('\n'),
  );
  return ExitCode.ok;
}

/** What the fill says about the template: a conversion, rows kept or added, no 合计 row, a second file. */
function printTemplateNotes(io: Io, notes: readonly string[]): void {
  for (const note of notes) io.stderr(paint.yellow(note));
}

/** The 填报日期: --as-of, else the latest submission's date, so the same inputs give the same bytes. */
function fillDate(statuses: { submittedAt?: string }[], asOf: Date | undefined, deadline: string): string {
  if (asOf) return isoDateBeijing(asOf);
  const dates = statuses.map((s) => s.submittedAt?.slice(0, 10)).filter((d): d is string => Boolean(d)).sort();
  return dates.at(-1) ?? isoDateBeijing(deadline);
}

