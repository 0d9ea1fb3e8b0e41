// Bundles the Electron main process and preload into dist/electron (CommonJS, as Electron loads them). The sandboxed
// preload is bundled whole; the main process keeps npm packages external (electron-builder ships node_modules).
import { build } from 'esbuild';

export async function buildElectron() {
  const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'warning', sourcemap: true };
  // The engine locates files with import.meta.url, which CommonJS lacks: provide it from __filename.
  const meta = { define: { 'import.meta.url': '__godwitImportMetaUrl' }, banner: { js: "const __godwitImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" } };
  await build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.cjs', packages: 'external', ...meta });
  await build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildElectron();
