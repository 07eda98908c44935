/** Reading the campaign file: the same care as a submission, then the zod schema. */
import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';
import { cacheKey, codeVersion, readCached, writeCached } from '../cache.js';
import { ExitCode, ReportError, makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { readTextFile } from './read.js';
import { getLang } from '../messages/index.js';
import type { Campaign } from '../campaign/schema.js';

/** The bundled campaign: the 黄山区 2024 plan. */
export const DEFAULT_CAMPAIGN = packagePath('data', 'campaign.yaml');

/** Check a campaign file's text. Pure: returns the campaign or the diagnostics. */
export async function parseCampaign(text: string): Promise<{ campaign?: Campaign; diagnostics: Diagnostic[] }> {
  // zod costs more to load than the rest of `validate`: imported only when the check really runs.
  // So do the YAML parser and zod: a campaign checked before is taken from the cache without them.
  const [{ campaignSchema }, { config }, locale, { Document }, { nodePosition, parseTree }] = await Promise.all([
    import('../campaign/schema.js'),
    import('zod'),
    // The one locale in use, not all forty of zod's.
    getLang() === 'en' ? import('zod/v4/locales/en.js') : import('zod/v4/locales/zh-CN.js'),
    import('yaml'),
    import('./parse.js'),
  ]);
  config(locale.default());
  const parsed = parseTree(text);
  if (parsed.root === undefined || parsed.diagnostics.length) return { diagnostics: parsed.diagnostics };
  const doc = new Document();
  doc.contents = parsed.root;
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

/**
 * Enough of a campaign's shape that using a kept one cannot throw: the cache is a file the
 * user can damage (a wrong-shaped entry is a miss). `fresh` never takes one (merge and pack).
 */
function isCampaignShaped(value: unknown): value is Campaign {
  const c = value as Campaign | null;
  const listOf = (items: unknown, keys: string[]) => Array.isArray(items) && items.every((x) => typeof x === 'object' && x !== null && keys.every((k) => k in x));
  return (
    typeof c === 'object' && c !== null && typeof c.id === 'string' && typeof c.title === 'string' && typeof c.deadline === 'string' &&
    typeof c.period === 'object' && c.period !== null && Array.isArray(c.deliverables) && Array.isArray(c.categories) && Array.isArray(c.rules) &&
    listOf(c.departments, ['id', 'name', 'aliases', 'contact']) && listOf(c.tasks, ['no', 'category', 'title', 'departments']) && listOf(c.indicators, ['id', 'label', 'unit', 'kind', 'group'])
  );
}

/** Load and check a campaign file; a broken one ends the command with its diagnostics (exit 2). */
export async function loadCampaign(file: string = DEFAULT_CAMPAIGN, options: { fresh?: boolean } = {}): Promise<Campaign> {
  const read = await readTextFile(file, 16 * 1024 * 1024);
  if (read.failure || read.text === undefined)
    throw new ReportError('campaign/unreadable', { file }, ExitCode.usage, read.failure ? [{ file, diagnostics: [read.failure] }] : []);
  // The schema check (zod) costs more to load than the rest of `validate`: skipped for the campaign
  // the build checked (the bundled one, unchanged) and for one checked on this machine before.
  const shipped = shippedCampaign(read.text);
  if (shipped) return shipped;
  const key = campaignCacheKey(read.text);
  const cached = options.fresh ? undefined : readCached('campaign', key, isCampaignShaped);
  if (cached) return cached;
  const { campaign, diagnostics } = await parseCampaign(read.text);
  if (!campaign) throw new ReportError('campaign/broken', { file }, ExitCode.usage, [{ file, source: read.text, diagnostics }]);
  writeCached('campaign', key, campaign);
  return campaign;
}

/** A campaign is kept once it passed the schema, keyed by its text and the compiled schema. */
const campaignCacheKey = (text: string) => cacheKey(codeVersion(), 'campaign', text);

/** Where the build keeps the bundled campaign as checked: its text's SHA-256 and the result. */
export const SHIPPED_CAMPAIGN = packagePath('dist', 'campaign.json');

/** The campaign the build checked, when `text` is exactly its text. */
function shippedCampaign(text: string): Campaign | undefined {
  try {
    const shipped = JSON.parse(readFileSync(SHIPPED_CAMPAIGN, 'utf8')) as { sha256?: string; campaign?: Campaign };
    return shipped.sha256 === cacheKey(text) ? shipped.campaign : undefined;
  } catch {
    return undefined;
  }
}
