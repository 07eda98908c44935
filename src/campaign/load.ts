/** Reading the campaign file: the same care as a submission, then the zod schema. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, ReportError, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { nodePosition, parseYaml } from '../submission/parse.js';
import { readTextFile } from '../submission/read.js';
import { getLang } from '../messages/index.js';
import type { Campaign } from './schema.js';

/** The bundled campaign: the 黄山区 2024 plan. */
export const DEFAULT_CAMPAIGN = fileURLToPath(new URL('../../data/campaign.yaml', import.meta.url));

/** Check a campaign file's text. Pure: returns the campaign or the diagnostics. */
export async function parseCampaign(text: string): Promise<{ campaign?: Campaign; diagnostics: Diagnostic[] }> {
  // zod costs more to load than the rest of `validate`: imported only when the check really runs.
  const [{ campaignSchema }, { z }] = await Promise.all([import('./schema.js'), import('zod')]);
  z.config(getLang() === 'en' ? z.locales.en() : z.locales.zhCN());
  const parsed = parseYaml(text);
  if (!parsed.doc || parsed.diagnostics.length) return { diagnostics: parsed.diagnostics };
  const doc = parsed.doc;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { diagnostics: [makeDiagnostic('error', 'campaign/invalid', { detail: String((error as Error).message) }, { line: 1, column: 1 })] };
  }
  const result = campaignSchema.safeParse(data);
  if (result.success) return { campaign: result.data, diagnostics: [] };
  const diagnostics = result.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // Point at the deepest node that exists: a missing key is reported at its parent.
    let node: unknown;
    for (let n = path.length; n >= 0 && !node; n--) node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const where = path.length ? `${path.join('.')}：` : '';
    return makeDiagnostic('error', 'campaign/invalid', { detail: `${where}${issue.message}` }, nodePosition(parsed.lineCounter, node, path));
  });
  return { diagnostics };
}

/** Load and check a campaign file; a broken one ends the command with its diagnostics (exit 2). */
export async function loadCampaign(file: string = DEFAULT_CAMPAIGN): Promise<Campaign> {
  const read = await readTextFile(file, 16 * 1024 * 1024);
  if (read.failure || read.text === undefined)
    throw new ReportError('campaign/unreadable', { file }, ExitCode.usage, read.failure ? [{ file, diagnostics: [read.failure] }] : []);
  const key = cacheKey(read.text);
  const cached = readCache(key);
  if (cached) return cached;
  const { campaign, diagnostics } = await parseCampaign(read.text);
  if (!campaign) throw new ReportError('campaign/broken', { file }, ExitCode.usage, [{ file, source: read.text, diagnostics }]);
  writeCache(key, campaign);
  return campaign;
}

/*
 * A campaign that passed the schema once is kept, keyed by the hash of its text and of
 * the compiled schema, so later runs skip YAML-to-zod checking (most of a cold
 * `validate`'s time). A changed file or schema misses the cache and is checked in full;
 * a cache that cannot be written is simply not used.
 */
const CACHE_DIR = fileURLToPath(new URL('../../dist/.campaign-cache/', import.meta.url));

function cacheKey(text: string): string {
  const schema = readFileSync(new URL('./schema.js', import.meta.url));
  return createHash('sha256').update(schema).update('\0').update(text).digest('hex');
}

function readCache(key: string): Campaign | undefined {
  try {
    return JSON.parse(readFileSync(join(CACHE_DIR, `${key}.json`), 'utf8')) as Campaign;
  } catch {
    return undefined;
  }
}

function writeCache(key: string, campaign: Campaign): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const temp = join(CACHE_DIR, `${key}.${process.pid}.tmp`);
    writeFileSync(temp, JSON.stringify(campaign));
    renameSync(temp, join(CACHE_DIR, `${key}.json`));
  } catch {
    // read-only install: every run checks the campaign in full
  }
}
