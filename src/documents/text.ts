/** Chinese numbers, dates and title lines as a 公文 writes them. */
import { emWidth } from './docx.js';

const DIGITS = '零一二三四五六七八九';
const UNITS = ['', '十', '百', '千'];

/** 1 → 一, 10 → 十, 15 → 十五, 105 → 一百零五, 2026 → 二千零二十六; up to 99,999,999. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99_999_999) return String(n);
  if (n === 0) return DIGITS[0]!;
  const below10k = (v: number): string => {
    let out = '';
    let zero = false;
    for (let p = 3; p >= 0; p--) {
      const d = Math.floor(v / 10 ** p) % 10;
      if (d === 0) {
        zero = out !== '';
        continue;
      }
      if (zero) out += DIGITS[0];
      zero = false;
      out += DIGITS[d]! + UNITS[p]!;
    }
    return out;
  };
  const high = Math.floor(n / 10_000);
  const low = n % 10_000;
  let text = high ? `${below10k(high)}万${low && low < 1000 ? DIGITS[0] : ''}${low ? below10k(low) : ''}` : below10k(low);
  if (text.startsWith('一十')) text = text.slice(1); // 十五, not 一十五
  return text;
}

/** Names joined with 、; past `max`, the first few and 等N个单位. */
export function nameList(names: readonly string[], max = 12): string {
  if (names.length <= max) return names.join('、');
  return `${names.slice(0, 3).join('、')}等${names.length}个单位`;
}

/** A title line holds 20 characters of 二号 (22 pt) in the 156 mm text block. */
const TITLE_WIDTH = 20;

/**
 * A title broken into lines the way a clerk would: a title that fits stays one line; a
 * longer one breaks before 专项行动 (or the kind of document, `tail`) when that gives lines
 * that fit, else it is left to the word processor.
 */
export function titleLines(subject: string, tail: string): string[] {
  const whole = subject + tail;
  if (emWidth(whole) <= TITLE_WIDTH) return [whole];
  for (const cut of [subject.lastIndexOf('专项行动'), subject.length]) {
    if (cut <= 0) continue;
    const first = subject.slice(0, cut);
    const second = subject.slice(cut) + tail;
    if (emWidth(first) <= TITLE_WIDTH && emWidth(second) <= TITLE_WIDTH) return [first, second];
  }
  return [whole];
}

/** The jurisdiction word of an issuer: 黄山区市场监督管理局 → 全区, 安徽省… → 全省; else 各单位. */
export function jurisdiction(issuer: string): string {
  const m = /[省市区县州旗盟]/.exec(issuer);
  return m ? `全${m[0]}` : '各单位';
}

/** Figures as written in a sentence: integers plain, amounts with their decimals. */
export function figure(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 10000) / 10000);
}
