import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI (`node bin/report.js`): `npm test` builds it first (pretest).
    globalSetup: ['test/helpers/global-setup.ts'],
    // A spawned `node` costs a few hundred milliseconds; a slow Windows PC or a busy CI runner needs headroom.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
