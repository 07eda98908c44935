/**
 * The default statistics template of a campaign, as `npm run template` writes it to
 * templates/{id}.xlsx (scripts/make-template.mjs, through the build's dist/template.js).
 * Byte-reproducible: every date in it comes from the campaign.
 */
import type { Campaign } from '../campaign/schema.js';
import { buildTemplate, templateDate } from './default.js';
import { workbookBytes } from './write.js';

export const defaultTemplateBytes = (campaign: Campaign): Promise<Buffer> => workbookBytes(buildTemplate(campaign), templateDate(campaign));
