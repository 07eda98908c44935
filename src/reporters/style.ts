/** Colours for people, plain text for pipes, files and NO_COLOR. */
import chalk, { Chalk } from 'chalk';

export const paint = new Chalk({ level: process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '' ? 0 : chalk.level });

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1f300 && code <= 0x1faff) || // emoji: two columns in every terminal that draws them
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/**
 * A path as a command a clerk can paste into bash or PowerShell: in single quotes, which
 * neither shell looks inside. A path that cannot be quoted so (a quote or a control
 * character in it) gives undefined: the command is then left out rather than risked.
 */
export function shellQuoted(path: string): string | undefined {
  if (/['\u0000-\u001f\u007f-\u009f]/.test(path)) return undefined;
  // Nothing either shell reads specially: as it is (Chinese names included); else in quotes.
  return /^[^\s$&|;<>()`"*?[\]{}!#~%^=,@]+$/u.test(path) ? path : `'${path}'`;
}
