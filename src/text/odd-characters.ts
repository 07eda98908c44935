/**
 * Characters that print as nothing or move the cursor: pasted from a web page or a chat, they
 * make a value differ from what is seen (a number with a no-break space is no number), and
 * control characters can rewrite a terminal. One list for YAML lines (yaml.ts) and workbook
 * cells (workbook.ts), so both give the same warning.
 */
import { t, type MessageCode } from '../messages/index.js';

/** Characters that print as nothing or move the cursor, and what to call them. */
export const ODD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00a0\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
const ODD_NAMES: Record<number, MessageCode> = {
  0x1b: 'text/name-esc',
  0xa0: 'text/name-nbsp',
  0xad: 'text/name-soft-hyphen',
  0x200b: 'text/name-zwsp',
  0x200c: 'text/name-zwnj',
  0x200d: 'text/name-zwj',
  0x2060: 'text/name-word-joiner',
  0xfeff: 'text/name-bom',
};

/**
 * Each kind of invisible or control character in a text, once, at its first place: the finding's
 * code and params. The YAML lines and a workbook's cells (source/workbook.ts) give the same warning.
 */
export function oddCharacterKinds(text: string): { code: MessageCode; params: { name: string; code: string }; index: number }[] {
  const seen = new Set<number>();
  const kinds: { code: MessageCode; params: { name: string; code: string }; index: number }[] = [];
  for (const m of text.matchAll(ODD)) {
    const code = m[0].charCodeAt(0);
    if (seen.has(code)) continue;
    seen.add(code);
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    const name = ODD_NAMES[code] ? t(ODD_NAMES[code]) : t('text/name-control');
    const severity = code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) ? 'text/control-character' : 'text/invisible-character';
    kinds.push({ code: severity, params: { name, code: hex }, index: m.index });
  }
  return kinds;
}
