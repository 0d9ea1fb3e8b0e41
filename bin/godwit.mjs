#!/usr/bin/env node
// The `godwit` command. Godwit is TypeScript: on first run (and whenever a source file changes) the CLI is bundled
// with esbuild into node_modules/.cache/godwit, which starts several times faster than compiling on the fly. If
// esbuild is unavailable, tsx compiles it on the fly instead. Either way no build step stands between a clone and a
// working command.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'electron', 'cli', 'run.ts');

/** A key that changes whenever a source file or the lock file changes. */
function sourceKey() {
  const hash = createHash('sha1');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        const s = statSync(p);
        hash.update(`${p}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  walk(join(root, 'electron'));
  hash.update(String(statSync(join(root, 'package-lock.json')).mtimeMs));
  return hash.digest('hex').slice(0, 16);
}

async function bundled() {
  if (process.env.GODWIT_NO_BUNDLE) return null;
  try {
    const cacheDir = join(root, 'node_modules', '.cache', 'godwit');
    const out = join(cacheDir, `cli-${sourceKey()}.mjs`);
    if (!existsSync(out)) {
      const { build } = await import('esbuild');
      if (existsSync(cacheDir)) rmSync(cacheDir, { recursive: true, force: true });
      mkdirSync(cacheDir, { recursive: true });
      await build({
        entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
        packages: 'external', logLevel: 'silent', sourcemap: 'inline',
      });
    }
    return out;
  } catch {
    return null;
  }
}

const file = await bundled();
if (file) {
  await import(pathToFileURL(file).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
