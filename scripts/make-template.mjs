// Builds the default statistics template of the bundled campaign: templates/{campaign.id}.xlsx.
// Run through `npm run template` (which builds dist/ first). The output is byte-reproducible:
// every date in it comes from the campaign, so an unchanged campaign gives an unchanged file.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { campaignSchema } from '../dist/campaign/schema.js';
import { buildTemplate, templateDate } from '../dist/workbook/template.js';
import { workbookBytes, writeFileAtomic } from '../dist/workbook/write.js';

const root = new URL('../', import.meta.url);
const source = fileURLToPath(new URL('data/campaign.yaml', root));
const result = campaignSchema.safeParse(parse(readFileSync(source, 'utf8')));
if (!result.success) {
  for (const issue of result.error.issues) console.error(`${source}: ${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
const campaign = result.data;
const dir = fileURLToPath(new URL('templates/', root));
await mkdir(dir, { recursive: true });
const out = `${dir}${campaign.id}.xlsx`;
await writeFileAtomic(out, await workbookBytes(buildTemplate(campaign), templateDate(campaign)));
console.log(`written ${out}`);
