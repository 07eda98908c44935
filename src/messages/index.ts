/**
 * The one catalogue of everything the tool says to a person, in Chinese (default) and English.
 * Templates use {name} placeholders. Codes are stable: tests and --json consumers rely on them.
 */
import { en } from './en.js';
import { zh } from './zh.js';

export type MessageCode = keyof typeof zh;
export type MessageParams = Record<string, string | number>;
export type Lang = 'zh' | 'en';

const catalogues: Record<Lang, Record<MessageCode, string>> = { zh, en };
let lang: Lang = pickLang(process.env.REPORT_LANG);

/** `zh` unless the value names English (en, en-US, en_GB…). */
export function pickLang(value: string | undefined): Lang {
  return value && /^en\b|^en[-_]/i.test(value) ? 'en' : 'zh';
}

export function setLang(value: string | undefined): void {
  if (value !== undefined) lang = pickLang(value);
}

export function getLang(): Lang {
  return lang;
}

/** Render a message in the active language. */
export function t(code: MessageCode, params: MessageParams = {}): string {
  const template = catalogues[lang][code] ?? zh[code] ?? code;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

/** Joins a list the way the active language does (、 in Chinese). */
export function list(items: readonly string[]): string {
  return items.join(lang === 'zh' ? '、' : ', ');
}

/**
 * An operating-system error as a clerk can read it: the catalogue's words for its code (没有权限,
 * 磁盘已满…), never the system's English message with its temporary paths.
 */
export function osReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code && (`os/${code}` as MessageCode);
  // The code too, in brackets: what the PC's IT colleague searches for.
  if (known && Object.hasOwn(zh, known)) return `${t(known)}（${code}）`;
  return t('os/other', { code: code ?? t('os/unknown') });
}
