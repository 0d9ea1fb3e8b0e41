import { defineConfig } from 'vite';

// The renderer: React without a plugin (the automatic JSX runtime is all it needs), built to dist/renderer with
// relative paths so Electron can load it from file:// and browser mode from its own server.
export default defineConfig({
  root: 'renderer',
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', development: false } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Radix marks its modules "use client" for React Server Components; meaningless in a client-only bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
