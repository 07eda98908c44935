/** The campaign and a small valid submission, for in-process tests of the core. */
import { readFileSync } from 'node:fs';
import type { Campaign } from '../../src/campaign/schema.js';
import { parseCampaign } from '../../src/source/campaign.js';
import { join } from 'node:path';
import { CAMPAIGN_FILE, FIXTURES } from './paths.js';

/** The bundled campaign (data/campaign.yaml), checked by the same code the CLI uses. */
export async function loadTestCampaign(): Promise<Campaign> {
  const { campaign, diagnostics } = await parseCampaign(readFileSync(CAMPAIGN_FILE, 'utf8'));
  if (!campaign) throw new Error(`data/campaign.yaml does not load: ${JSON.stringify(diagnostics)}`);
  return campaign;
}

/**
 * 区林业局's submission, valid as it stands. Line 3 is filled_by, 5 submitted_at,
 * 7 statistics, 8 inspectors, 10 fines, 12 samples_failed (last of its block),
 * 14 tasks, 15 task 32 (the bureau's only own task), 17 summary.
 * The text is test/fixtures/base/区林业局.yaml, from which make-encoded.mjs builds the encoded fixtures.
 */
export const BASE = readFileSync(join(FIXTURES, 'base', '区林业局.yaml'), 'utf8');

/** `text` with `from` replaced by `to`, failing loudly when `from` is not there. */
export function edit(from: string, to: string, text = BASE): string {
  if (!text.includes(from)) throw new Error(`not in the text: ${from}`);
  return text.replace(from, to);
}

/** Each department's own tasks in the 2024 plan (各有关单位 tasks 3, 28 and 34 are everyone's and optional). */
export const OWN_TASKS: Record<string, number[]> = {
  区市场监管局: [1, 2, 4, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 29, 30, 31, 32, 33],
  区委网信办: [7, 12, 24, 29, 30, 31, 33],
  区文旅体局: [5, 6, 30],
  区公安分局: [8, 12, 14, 19, 21, 22, 23, 24, 25, 27, 29, 30, 31, 33],
  区林业局: [32],
  区商务局: [6, 13, 17],
  区税务局: [15],
};
