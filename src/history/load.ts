/**
 * The commands' one call for earlier rounds: read them (when the campaign names any or
 * --previous is given), give what could not be matched as notes for the caller to show, and add the warnings against history
 * to the checked files. The reader and the checks are loaded only when there are rounds.
 */
import { dirname, resolve } from 'node:path';
import { DEFAULT_CAMPAIGN } from '../source/campaign.js';
import type { Campaign } from '../campaign/schema.js';
import type { CheckedFile } from '../model.js';
import type { Round } from './rounds.js';

export async function historyFor(campaign: Campaign, options: HistoryOptions, files: readonly CheckedFile[], loaded?: Round[]): Promise<{ rounds: Round[]; notes: string[] }> {
  const rounds = loaded ?? (await loadHistory(campaign, options));
  if (!rounds.length) return { rounds, notes: [] };
  const [{ roundNotes }, { addHistoryWarnings }] = await Promise.all([import('./rounds.js'), import('./warnings.js')]);
  addHistoryWarnings(files, rounds, campaign);
  return { rounds, notes: roundNotes(rounds, campaign) };
}

export interface HistoryOptions {
  campaign?: string;
  previous?: string[];
}

/** The earlier rounds alone (merge and pack read them before the folder: the 同比 sheet's frame needs the period). */
export async function loadHistory(campaign: Campaign, options: HistoryOptions): Promise<Round[]> {
  if (!campaign.previous?.length && !options.previous?.length) return [];
  const { loadRounds } = await import('./rounds.js');
  return loadRounds(campaign, options.campaign ?? DEFAULT_CAMPAIGN, options.previous);
}

/** The earlier rounds' files, as paths: inputs an output must never replace. */
export function previousFiles(campaign: Campaign, options: HistoryOptions): string[] {
  const base = dirname(options.campaign ?? DEFAULT_CAMPAIGN);
  return [...(campaign.previous ?? []).map((p) => resolve(base, p.file)), ...(options.previous ?? [])];
}
