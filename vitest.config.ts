import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts', 'renderer/**/*.test.ts', 'e2e/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: two files at a time keeps the PostgreSQL server and the wasm engines from starving each other.
    maxWorkers: 2,
    pool: 'forks',
    // Drops the shadow caches the tests kept on the test server, once every file has run.
    globalSetup: ['electron/engine/testing/global-setup.ts'],
  },
});
