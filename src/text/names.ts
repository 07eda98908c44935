/**
 * Names and labels compared as people mean them: full-width folded, blanks dropped, the usual
 * abbreviations of a unit's kind made one (市场监管局 = 市监局), a place prefix set apart. Knows
 * no campaign: campaign/lookup.ts finds a campaign's departments with these keys.
 */

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
export function unitTokens(name: string, gap = ''): string {
  return name.normalize('NFKC').replace(/\s+/gu, gap).replace(DECORATION, gap).replace(SYNONYMS, (word) => SYNONYM_TOKEN.get(word)!);
}

/** A unit's name as its place prefix (黄山市黄山区, 区, or '') and the key of the rest (see unitKey). */
export function splitPlace(name: string): { place: string; key: string } {
  let s = unitTokens(name);
  let place = '';
  for (let m = PLACE.exec(s); m; m = PLACE.exec(s)) {
    place += m[0];
    s = s.slice(m[0].length);
  }
  return { place, key: s };
}
