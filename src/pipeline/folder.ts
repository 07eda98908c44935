/** A folder of submissions at a moment: what `status`, `merge` and `pack` all start from. */
import { stat } from 'node:fs/promises';
import { loadCampaign } from '../source/campaign.js';
import type { Campaign } from '../campaign/schema.js';
import { ExitCode } from '../diagnostics.js';
import { osReason } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import { computeStatus, type StatusReport } from '../status/status.js';
import { parseAsOf } from '../status/time.js';
import { checkFolder } from '../submission/load.js';
import { historyFor } from '../history/load.js';
import type { Emit } from './events.js';
import type { Round } from '../history/rounds.js';

/** Where the bureau keeps the submissions unless told otherwise (cli.ts declares the same default for --help). */
export const DEFAULT_DIR = 'data/submissions';

/** Everything status and merge both need: the campaign, "now", the checked files and their states. */
export interface Gathered {
  campaign: Campaign;
  now: Date;
  dir: string;
  files: CheckedFile[];
  report: StatusReport;
  /** Earlier rounds (campaign's previous: and --previous), newest first; empty when none. */
  rounds: Round[];
}

/**
 * Load the campaign (unless the caller has), read the folder, compute the states. Only a
 * caller that asks (merge) keeps each file's whole submission. Usage problems are events,
 * with an exit code returned.
 */
export async function gatherFolder(
  options: { dir?: string; asOf?: string; campaign?: string; previous?: string[] },
  emit: Emit,
  merging?: { campaign: Campaign; rounds?: Round[] },
): Promise<Gathered | ExitCode> {
  const dir = options.dir ?? DEFAULT_DIR;
  let now = new Date();
  if (options.asOf !== undefined) {
    const parsed = parseAsOf(options.asOf);
    if (!parsed) {
      emit({ type: 'refused', code: 'usage/as-of', params: { value: options.asOf } });
      return ExitCode.usage;
    }
    now = parsed;
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info) {
    emit({ type: 'refused', code: 'file/not-found', params: { path: dir } });
    // Run from another folder, the default is not there: say where it is looked for and how to name another.
    if (dir === DEFAULT_DIR) emit({ type: 'refused', code: 'usage/default-dir-hint', params: { dir: DEFAULT_DIR, cwd: process.cwd() } });
    return ExitCode.usage;
  }
  if (!info.isDirectory()) {
    emit({ type: 'refused', code: 'usage/not-a-dir', params: { path: dir } });
    return ExitCode.usage;
  }
  const campaign = merging?.campaign ?? (await loadCampaign(options.campaign));
  let checked;
  try {
    checked = await checkFolder(dir, campaign, {
      withSubmissions: Boolean(merging),
      onProgress: (done, total) => emit({ type: 'progress', code: 'ui/progress-read', params: { done, total } }),
    });
  } catch (error) {
    // Only the folder's own listing throws: a file that cannot be read is a finding about that file.
    emit({ type: 'refused', code: 'usage/folder-unreadable', params: { path: dir, reason: osReason(error) } });
    return ExitCode.usage;
  } finally {
    emit({ type: 'progress-done' });
  }
  const { files, others } = checked;
  const { rounds, notes } = await historyFor(campaign, options, files, merging?.rounds);
  if (notes.length) emit({ type: 'history-notes', notes });
  return { campaign, now, dir, files, report: computeStatus(campaign, files, others, now), rounds };
}
