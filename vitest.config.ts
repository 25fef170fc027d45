import { defineConfig } from 'vitest/config';

// One process, files one after another, modules shared: the whole run opens one database (PGlite needs ~1 GB and
// seconds to create), and every test builds its own zone, so nothing is ever cleaned up.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    pool: 'forks',
    isolate: false,
    fileParallelism: false,
    globalSetup: ['src/server/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
