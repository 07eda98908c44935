/** `report merge`: one workbook for higher authorities, written whole or not at all. */
import { join, resolve } from 'node:path';
import { ExitCode } from '../diagnostics.js';
import { list, t } from '../messages/index.js';
import { paint } from '../reporters/style.js';
import { shownPath } from '../fs.js';
import { loadCampaign } from '../campaign/load.js';
import { DEFAULT_DIR } from '../submission/folder.js';
import { mergeReport, readyToMerge, refuseOutput, templateFor, writeMerge } from '../workbook/merge-core.js';
import type { Io } from '../io.js';

export interface MergeOptions {
  dir?: string;
  template?: string;
  out?: string;
  force?: boolean;
  strict?: boolean;
  asOf?: string;
  campaign?: string;
}

export async function merge(options: MergeOptions, io: Io): Promise<ExitCode> {
  // The output is settled first: refusing it must not wait for a province's files to be read.
  const campaign = await loadCampaign(options.campaign);
  const dir = options.dir ?? DEFAULT_DIR;
  const out = resolve(options.out ?? join('out', `${campaign.table_title}.xlsx`));
  const refused = refuseOutput(out, dir, options.force, io);
  if (refused !== undefined) return refused;

  const ready = await readyToMerge({ ...options, dir }, campaign, io);
  if (typeof ready === 'number') return ready;
  const result = await writeMerge({ campaign, statuses: ready.report.departments, fillDate: ready.fillDate }, out, templateFor(campaign, options.template), io);

  if (result.missingLabels.length) io.stderr(paint.yellow.bold(t('merge/missing-labels', { labels: list(result.missingLabels) })));
  io.stdout([paint.bold(t('merge/done', { file: shownPath(out) })), ...mergeReport(ready, result)].join('\n'));
  return ExitCode.ok;
}
