/** `report merge`: one workbook for higher authorities, written whole or not at all. */
import { ExitCode } from '../diagnostics.js';
import { t } from '../messages/index.js';
import { paint } from '../reporters/style.js';
import { sayOnInterrupt, shownPath } from '../fs.js';
import { DEFAULT_CAMPAIGN, loadCampaign } from '../source/campaign.js';
import { DEFAULT_DIR } from '../pipeline/folder.js';
import { mergeNotes, prepareWorkbook, readyToMerge, refuseMissingTemplate, refuseOutput, templateFor, workbookPath, writeMerge } from '../pipeline/merge.js';
import type { Io } from '../io.js';
import { mergeReport, printEvents } from '../reporters/pipeline.js';
import { loadHistory, previousFiles } from '../history/load.js';
import { compareRounds } from '../history/compare.js';

export interface MergeOptions {
  dir?: string;
  template?: string;
  out?: string;
  force?: boolean;
  strict?: boolean;
  asOf?: string;
  campaign?: string;
  skipUnknown?: boolean;
  previous?: string[];
}

export async function merge(options: MergeOptions, io: Io): Promise<ExitCode> {
  // Ctrl-C at any moment says so, as pack does; the temporary file goes, an earlier output stays.
  sayOnInterrupt(() => io.stderr(t('merge/interrupted')));
  const emit = printEvents(io);
  // The output is settled first: refusing it must not wait for a province's files to be read.
  // The output of record: the campaign is checked afresh, never taken from the cache.
  const campaign = await loadCampaign(options.campaign, { fresh: true });
  const dir = options.dir ?? DEFAULT_DIR;
  const out = workbookPath(options.out, campaign);
  const template = templateFor(campaign, options.template);
  const refused = refuseMissingTemplate(options.template, emit) ?? refuseOutput(out, dir, options.force, emit, [template, options.campaign ?? DEFAULT_CAMPAIGN, ...previousFiles(campaign, options)]);
  if (refused !== undefined) return refused;

  // Earlier rounds first: a broken one stops the run at once, and the 同比 sheet's frame needs the period.
  const rounds = await loadHistory(campaign, options);
  // The template is made ready while the folder is read.
  const prepared = prepareWorkbook(campaign, { path: template, shown: options.template }, rounds[0]?.period);
  const ready = await readyToMerge({ ...options, dir }, campaign, emit, rounds);
  if (typeof ready === 'number') return ready;
  const statuses = ready.report.departments;
  const comparison = rounds[0] && compareRounds(campaign, statuses, rounds[0]);
  const result = await writeMerge({ campaign, statuses, fillDate: ready.fillDate, skipped: ready.skipped, ...(comparison && { comparison }) }, out, prepared, options.force, emit);

  for (const note of mergeNotes(result)) io.stderr(paint.yellow(note));
  io.stdout([paint.bold(t('merge/done', { file: shownPath(out) })), ...mergeReport(ready, result), ...(comparison ? [t('history/sheet-added', { period: comparison.period, file: comparison.file })] : [])].join('\n'));
  return ExitCode.ok;
}
