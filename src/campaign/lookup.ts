/**
 * Finding a campaign's departments by the names people write: exactly (id, name or alias),
 * or by the key of a unit's name, so that 黄山区市场监管局, 区市监局 and 市场监管局 are the
 * campaign's 区市场监管局 — in a submission as in a template's rows.
 */
import { toHalfWidth } from '../text/values.js';
import type { Campaign, Department } from './schema.js';

/**
 * Normalises a header or name for comparison: NFKC folds full-width letters, digits and
 * parentheses to half-width (（万元） → (万元)); then every kind of whitespace goes,
 * including the newlines a clerk types to wrap a header and full-width spaces (合　计).
 */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').replace(/\s+/gu, '');
}

/** Punctuation a clerk puts in a label or a name without changing what it says. */
export const DECORATION = /[、，,。.·・:：;；"“”'‘’/\\_\-—–()[\]【】{}《》<>]/gu;

/**
 * Usual ways of writing the same kind of unit, longest first: each is replaced by one
 * token before names are compared, so 市场监督管理局, 市场监管局 and 市监局 are one unit.
 */
const UNIT_SYNONYMS: string[][] = [
  ['市场监督管理局', '市场监管局', '市监局'],
  ['文化和旅游体育局', '文化旅游和体育局', '文化旅游体育局', '文旅体局', '文体旅局'],
  ['文化和旅游局', '文化旅游局', '文旅局'],
  ['公安分局', '公安局'],
  ['委网络安全和信息化委员会办公室', '委网信办', '网信办'],
  ['住房和城乡建设局', '住建局'],
  ['自然资源和规划局', '自然资源规划局', '自然资源局'],
  ['农业农村局', '农业局'],
  ['人力资源和社会保障局', '人社局'],
  ['卫生健康委员会', '卫生健康委', '卫健委'],
  ['教育体育局', '教体局'],
  ['生态环境分局', '生态环境局'],
  ['交通运输局', '交通局'],
];
const SYNONYM_TOKEN = new Map(UNIT_SYNONYMS.flatMap((words, i) => words.map((w): [string, string] => [w, String.fromCharCode(0xe000 + i)])));
/** Every synonym, longest first (the alternation takes the first that matches). */
const SYNONYMS = new RegExp([...SYNONYM_TOKEN.keys()].sort((a, b) => b.length - a.length).join('|'), 'gu');

/** A place before the unit: 黄山区, 区, 黄山市黄山区, 国家税务总局黄山市 … (ends in 省, 市, 区, 县 or 旗). */
const PLACE = /^\p{Script=Han}{0,12}?[省市区县旗](?=.)/u;

/**
 * The key a unit's name is compared by when it is not written exactly as in the campaign:
 * normalised, decorations dropped, the usual abbreviations made one (市场监管局 = 市监局),
 * then any place prefix dropped (黄山区市场监管局, 区市场监管局 and 市场监管局 are one key).
 */
export function unitKey(name: string): string {
  return splitPlace(name).key;
}

/**
 * A name normalised (see normalizeText), its decorations dropped and the usual abbreviations
 * made one token each (市场监管局 = 市监局). With a `gap`, blanks and decorations become that gap
 * instead: in a free text they part words (区林业局、区商务局).
 */
function unitTokens(name: string, gap = ''): string {
  return name.normalize('NFKC').replace(/\s+/gu, gap).replace(DECORATION, gap).replace(SYNONYMS, (word) => SYNONYM_TOKEN.get(word)!);
}

/** A unit's name as its place prefix (黄山市黄山区, 区, or '') and the key of the rest (see unitKey). */
function splitPlace(name: string): { place: string; key: string } {
  let s = unitTokens(name);
  let place = '';
  for (let m = PLACE.exec(s); m; m = PLACE.exec(s)) {
    place += m[0];
    s = s.slice(m[0].length);
  }
  return { place, key: s };
}

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
