/**
 * Finding a campaign's departments by the names people write: exactly (id, name or alias),
 * or by the key of a unit's name, so that 黄山区市场监管局, 区市监局 and 市场监管局 are the
 * campaign's 区市场监管局 — in a submission as in a template's rows.
 */
import { toHalfWidth } from '../text/values.js';
import { normalizeText, splitPlace, unitTokens } from '../text/names.js';
import type { Campaign, Department } from './schema.js';

/** What the finders of one campaign share: names, keys, and which places are the campaign's own. */
interface Names {
  find: (name: string) => Department | undefined;
  /** Key → its one department (null: two departments have that key). */
  keyed: Map<string, Department | null>;
  ours: (place: string) => boolean;
}

const built = new WeakMap<Campaign, Names>();

/**
 * Finds departments by id, name or alias, then by the key of the name (see unitKey) when
 * exactly one department has it (two with one key: no guess) and the name's place, if it
 * gives one, is the campaign's own (or ends with it: 黄山市黄山区). Built once per campaign:
 * a province has thousands of names.
 */
export function departmentFinder(campaign: Campaign): (name: string) => Department | undefined {
  return namesOf(campaign).find;
}

function namesOf(campaign: Campaign): Names {
  let names = built.get(campaign);
  if (!names) {
    const exact = new Map<string, Department>();
    const keyed = new Map<string, Department | null>();
    // The places the campaign's own names carry (黄山区, 区): 屯溪区市场监督管理局 is another district's bureau.
    const places = new Set([splitPlace(campaign.issuer).place]);
    for (const d of campaign.departments) {
      // The full official name is found as written, never by its key: 黄山市公安局黄山分局's place is the city's.
      if (d.full_name) for (const form of [toHalfWidth(d.full_name).trim(), normalizeText(d.full_name)]) if (!exact.has(form)) exact.set(form, d);
      for (const n of [d.id, d.name, ...d.aliases]) {
        for (const form of [toHalfWidth(n).trim(), normalizeText(n)]) if (!exact.has(form)) exact.set(form, d);
        if (n === d.id) continue;
        const { place, key } = splitPlace(n);
        places.add(place);
        if (key) keyed.set(key, keyed.has(key) && keyed.get(key) !== d ? null : d);
      }
    }
    // 区 alone means "the district": only itself. A named place also under its parents (黄山市黄山区).
    const ours = (place: string) => place === '' || places.has(place) || [...places].some((p) => p.length > 1 && place.endsWith(p));
    const find = (name: string) => {
      const known = exact.get(toHalfWidth(name).trim()) ?? exact.get(normalizeText(name));
      if (known || !normalizeText(name)) return known;
      const { place, key } = splitPlace(name);
      return ours(place) ? (keyed.get(key) ?? undefined) : undefined;
    };
    names = { find, keyed, ours };
    built.set(campaign, names);
  }
  return names;
}

/** A department's full official name (发文机关署名): `full_name`, else the name printed in the table. */
export function officialName(d: Pick<Department, 'name' | 'full_name'>): string {
  return d.full_name ?? d.name;
}

/** The lead unit's contact: that of the department the issuer is (by official name, name or alias), if one is. */
export function leadContact(campaign: Campaign): { name: string; phone: string } | undefined {
  return campaign.departments.find((d) => [officialName(d), d.name, ...d.aliases].includes(campaign.issuer))?.contact;
}

/** The Chinese characters right before a unit's key in a text (from the last gap), when they end in a place (屯溪区, 区); else ''. */
function placeBefore(text: string): string {
  const run = /\p{Script=Han}*$/u.exec(text)![0];
  return /[省市区县旗]$/u.test(run) ? run : '';
}

/**
 * The one department a free text names, such as a file name's stem (区林业局, 附件2-区林业局统计表,
 * 区市监局报表): a department's key (see unitKey) found in the text with no place right before
 * it, or a place of the campaign's own, by the finder's rules (屯溪区市场监管局 names no bureau
 * of 黄山区; a key two departments share names neither). Undefined when none or several are named.
 */
export function departmentNamedIn(campaign: Campaign, text: string): Department | undefined {
  const { keyed, ours } = namesOf(campaign);
  const s = unitTokens(text, ' ');
  const named = new Set<Department>();
  for (const [key, d] of keyed) {
    if (!d) continue;
    for (let at = s.indexOf(key); at >= 0 && !named.has(d); at = s.indexOf(key, at + 1)) if (ours(placeBefore(s.slice(0, at)))) named.add(d);
  }
  return named.size === 1 ? [...named][0] : undefined;
}
