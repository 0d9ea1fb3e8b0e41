import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Godwit package folder, found by walking up from this module: the same answer whether the code runs from
 * source or from the CLI's bundled copy under node_modules/.cache.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'godwit') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the godwit package folder.');
    dir = parent;
  }
}
