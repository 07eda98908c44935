/** Where a command writes: injected so tests and the CLI share one code path. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when standard error is a terminal: progress is shown only then. */
  isInteractive: boolean;
  /** Lines of the terminal standard output goes to; undefined when it is not one. */
  rows?: number | undefined;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isInteractive: Boolean(process.stderr.isTTY),
  rows: process.stdout.isTTY ? process.stdout.rows : undefined,
};

/** A progress line on a terminal, rewritten in place; nothing at all elsewhere. */
export function progress(io: Io): { update(text: string): void; done(): void } {
  if (!io.isInteractive) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return; // a terminal redrawn at most ten times a second
      last = now;
      shown = true;
      process.stderr.write(`\r${text}\u001b[K`);
    },
    done() {
      if (shown) process.stderr.write('\r\u001b[K');
    },
  };
}
