/** The campaign and a small valid submission, for in-process tests of the core. */
import { readFileSync } from 'node:fs';
import type { Campaign } from '../../src/campaign/schema.js';
import { parseCampaign } from '../../src/campaign/load.js';
import { CAMPAIGN_FILE } from './paths.js';

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
 * Same text as the e2e fixtures (test/fixtures/validate-*).
 */
export const BASE = `# 区林业局 2024网络市场监管专项行动报送
department: 区林业局
filled_by: 王静辉
phone: 0559-8510026
submitted_at: 2024-11-10

statistics:
  inspectors: 12
  platforms_checked: 30
  fines: 1.5
  samples_tested: 4
  samples_failed: 1

tasks:
  32: 联合区市场监管局巡查网售野生动植物，督促平台下架疑似野生兰花信息15条。

summary: |
  区林业局按照方案要求开展网售野生动植物巡查，出动执法人员12人次。
`;

/** `text` with `from` replaced by `to`, failing loudly when `from` is not there. */
export function edit(from: string, to: string, text = BASE): string {
  if (!text.includes(from)) throw new Error(`not in the text: ${from}`);
  return text.replace(from, to);
}
