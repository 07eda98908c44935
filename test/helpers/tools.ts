/**
 * What some tests need from the machine: a program (LibreOffice, pdfinfo, util-linux
 * `script`), Debian's python3 with openpyxl, or the right to make symbolic links.
 *
 * On a developer's machine a missing one skips the tests that need it, and says why on
 * stderr. In CI (CI=true) it is a failure: a check that quietly stops running protects
 * nobody, so `.ci/run` installs everything listed here.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export type Tool = 'soffice' | 'pdfinfo' | 'script' | 'openpyxl' | 'symlinks' | 'strace' | 'chromium';

/** How to get each tool on Debian, for the message. */
const INSTALL: Record<Tool, string> = {
  soffice: 'apt-get install libreoffice-calc-nogui fonts-noto-cjk',
  pdfinfo: 'apt-get install poppler-utils',
  script: 'apt-get install bsdutils',
  openpyxl: 'apt-get install python3-openpyxl (Debian /usr/bin/python3)',
  symlinks: 'on Windows, turn on developer mode',
  strace: 'apt-get install strace',
  chromium: 'apt-get install chromium',
};

/** Whether CI is asking: CI=true (or 1, yes), as CI runners and .ci/run set it. */
export const isCi = (): boolean => /^(true|1|yes)$/i.test(process.env.CI ?? '');

/** An executable of this name on PATH (with PATHEXT on Windows), without running it. */
function onPath(name: string): boolean {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const ext of exts) {
      try {
        accessSync(join(dir, name + ext), constants.X_OK);
        return true;
      } catch {
        // not in this folder
      }
    }
  return false;
}

/** Why `tool` cannot be used here, or undefined when it can. */
function unavailable(tool: Tool): string | undefined {
  switch (tool) {
    case 'soffice':
    case 'pdfinfo':
      return onPath(tool) ? undefined : 'not on PATH';
    case 'chromium':
      // Debian's, as the browser tests drive it (playwright-core downloads no browser).
      return spawnSync('/usr/bin/chromium', ['--version']).status === 0 ? undefined : '/usr/bin/chromium cannot run';
    case 'script':
      // The tests call util-linux's `script -qec`; BSD and macOS script take other options.
      if (process.platform !== 'linux') return 'util-linux script exists on Linux only';
      return spawnSync('script', ['--version']).status === 0 ? undefined : 'not on PATH';
    case 'openpyxl':
      // The python3 on PATH may be another one (pyenv) without openpyxl: Debian's is meant.
      return spawnSync('/usr/bin/python3', ['-c', 'import openpyxl']).status === 0 ? undefined : '/usr/bin/python3 cannot import openpyxl';
    case 'strace':
      // On PATH and allowed to trace (a container may forbid ptrace).
      if (process.platform !== 'linux') return 'strace exists on Linux only';
      return spawnSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true']).status === 0 ? undefined : 'not on PATH or not allowed to trace';
    case 'symlinks': {
      const dir = mkdtempSync(join(tmpdir(), 'report-symlink-'));
      try {
        symlinkSync(join(dir, 'target'), join(dir, 'link'));
        return undefined;
      } catch (error) {
        return `cannot make symbolic links (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

const known = new Map<Tool, string | undefined>();

/**
 * undefined when `tool` is there; otherwise the reason to skip (printed once), for
 * `it.skipIf(requireTool('soffice'))`. Under CI a missing tool throws instead, so the
 * test file fails rather than skipping.
 */
export function requireTool(tool: Tool): string | undefined {
  if (!known.has(tool)) {
    const why = unavailable(tool);
    known.set(tool, why && `${tool}: ${why} (${INSTALL[tool]})`);
    if (why && !isCi()) console.warn(`skipping the tests that need ${known.get(tool)}`);
  }
  const reason = known.get(tool);
  if (reason && isCi()) throw new Error(`CI=true, and a test needs ${reason}. In CI every test must run: .ci/run installs it.`);
  return reason;
}
