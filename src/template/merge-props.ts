/**
 * Writes the custom document properties of a merged workbook (merged-layout.ts MERGE_PROPS):
 * kept by Excel, WPS and LibreOffice when the file is saved again, never shown in a cell.
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../campaign/schema.js';
import type { DepartmentStatus } from '../model.js';
import { levelGaps } from '../status/gaps.js';
import { MERGE_PROPS } from '../layout/merged.js';

/**
 * The properties of one merge. The id is a digest of its inputs (campaign, date, each unit's
 * state and file), so the same inputs give the same bytes and another week's merge another id.
 */
export function mergeProperties(campaign: Campaign, statuses: readonly DepartmentStatus[], fillDate: string, skipped: readonly string[] = []): Record<string, string> {
  const inputs = JSON.stringify([campaign.id, fillDate, statuses.map((s) => [s.id, s.state, s.checked?.sha256 ?? null, s.checked?.secondFile?.sha256 ?? null]), skipped]);
  return {
    [MERGE_PROPS.campaign]: campaign.id,
    [MERGE_PROPS.period]: `${campaign.period.start}/${campaign.period.end}`,
    [MERGE_PROPS.issuer]: campaign.issuer,
    [MERGE_PROPS.id]: createHash('sha256').update(inputs).digest('hex').slice(0, 32),
    [MERGE_PROPS.gaps]: JSON.stringify(levelGaps(campaign, statuses, skipped).map((g) => [g.unit, g.reason])),
  };
}
