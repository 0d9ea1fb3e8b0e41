import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts', 'renderer/**/*.test.ts', 'e2e/**/*.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: two files at a time keeps the PostgreSQL server and the wasm engines from starving each other.
    maxWorkers: 2,
    pool: 'forks',
    // Builds the interface once before every file; drops the shadow caches the tests kept on the server after them.
    globalSetup: ['electron/server/testing/build-renderer-once.ts', 'electron/engine/testing/global-setup.ts'],
  },
});
