/** Where things are, for every test. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO, 'bin', 'report.js');
export const DIST_CLI = join(REPO, 'dist', 'cli.js');
export const FIXTURES = join(REPO, 'test', 'fixtures');
export const SAMPLE_SUBMISSIONS = join(REPO, 'data', 'submissions');
export const CAMPAIGN_FILE = join(REPO, 'data', 'campaign.yaml');

/** A fixture folder or a file in one: fixture('validate-bom', '区林业局.yaml'). */
export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);
