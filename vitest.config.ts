import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Processors: CI runs on one two-core machine, where the end-to-end tests' CLIs compete with each other. */
const cores = availableParallelism();

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI (`node bin/report.js`): `npm test` builds it first (pretest).
    globalSetup: ['test/helpers/global-setup.ts'],
    // Limits are for a test that hangs, not for a slow machine: on a loaded two-core machine a pack
    // that takes 3 s alone took over 20 s (13 of 864 tests timed out at the old 20 s). A spawned CLI is
    // killed after 150 s (test/helpers/exec.ts), before its test gives up, so the failure shows its output.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    // describe.concurrent runs this many tests of a file at once, each spawning a CLI: more than
    // the processors only makes each one slower (and nearer its limit), not the whole faster.
    maxConcurrency: Math.max(2, cores),
    // Test files in parallel, one per processor but one left for the CLIs they spawn.
    maxWorkers: Math.max(1, cores - 1),
  },
});
