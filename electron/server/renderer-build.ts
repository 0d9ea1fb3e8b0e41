import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/util/package-root.ts';
import { GodwitError } from '../engine/util/errors.ts';

function sourceKey(root: string): string {
  const hash = createHash('sha1');
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.test.ts')) hash.update(`${p}:${statSync(p).size}:${statSync(p).mtimeMs}\n`);
    }
  };
  walk(join(root, 'renderer'));
  walk(join(root, 'electron', 'shared'));
  hash.update(String(statSync(join(root, 'vite.config.ts')).mtimeMs));
  return hash.digest('hex');
}

/** The built renderer's folder, building it with Vite first when a source file changed since the last build. */
export async function ensureRendererBuilt(log: (line: string) => void = () => undefined): Promise<string> {
  const root = packageRoot();
  const out = join(root, 'dist', 'renderer');
  const keyFile = join(out, '.build-key');
  const key = sourceKey(root);
  if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key && existsSync(join(out, 'index.html'))) return out;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    if (existsSync(join(out, 'index.html'))) return out;
    throw new GodwitError('no-renderer', 'The app\'s interface is not built and Vite is not installed: run npm install in the Godwit folder.');
  }
  log('Building the interface (Vite)…');
  // Always React's production build: Vite follows NODE_ENV when it is set, and a test runner sets it to "test" —
  // which gave a development build (jsxDEV, dev react-dom) five times slower to scroll 10,000 migrations.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: join(root, 'vite.config.ts'), root: join(root, 'renderer'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(keyFile, key);
  return out;
}
