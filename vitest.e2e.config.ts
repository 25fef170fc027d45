import { defineConfig } from 'vitest/config';

// Browser and process tests (`npm run test:e2e`): each file starts real `qibu serve` processes on free ports with
// their own temporary data dirs, and drives Debian's Chromium through playwright-core. One file at a time: every
// server opens its own PGlite (~1 GB RSS on first creation) and the CI machine has 2 cores.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
