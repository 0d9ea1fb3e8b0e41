import { ensureRendererBuilt } from '../renderer-build.ts';

/**
 * Vitest's global setup: the app's interface is built once, before any test file, if a source changed since the last
 * build. Files that serve it (browser mode, e2e, npm start) run two at a time, and two of them building into
 * dist/renderer at once could break each other on a fresh clone.
 */
export async function setup(): Promise<void> {
  await ensureRendererBuilt();
}
