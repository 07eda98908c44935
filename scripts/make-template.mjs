#!/usr/bin/env node
// Builds the default statistics template of the bundled campaign: templates/{campaign.id}.xlsx
// (or into the folder given as the argument). Run through `npm run template`, which builds
// dist/ first. The output is byte-reproducible: every date in it comes from the campaign, so
// an unchanged campaign gives an unchanged file.
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { parseCampaign } = require('../dist/campaign.js');
const { defaultTemplateBytes } = require('../dist/template.js');

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'data', 'campaign.yaml');
const { campaign, diagnostics } = await parseCampaign(readFileSync(source, 'utf8'));
if (!campaign) {
  for (const d of diagnostics) console.error(`${source}:${d.line ?? ''}:${d.column ?? ''} ${d.message}`);
  process.exit(2);
}
const dir = resolve(process.argv[2] ?? join(root, 'templates'));
mkdirSync(dir, { recursive: true });
const out = join(dir, `${campaign.id}.xlsx`);
// Whole or not at all: written beside, then renamed over the old one.
writeFileSync(`${out}.partial`, await defaultTemplateBytes(campaign));
renameSync(`${out}.partial`, out);
console.log(`written ${out}`);
