import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from './renderer-build.ts';

describe('the built interface', () => {
  it('is React\'s production build even when built under the test runner (NODE_ENV=test)', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const out = await ensureRendererBuilt();
    const assets = join(out, 'assets');
    const scripts = (await readdir(assets)).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const f of scripts) {
      const code = await readFile(join(assets, f), 'utf8');
      // The development JSX runtime and react-dom's development build are five times slower to render the graph.
      expect(code, f).not.toContain('jsxDEV');
      expect(code, f).not.toContain('react-dom.development');
    }
    expect(process.env.NODE_ENV).toBe('test');
  });
});
