#!/usr/bin/env node
// The `godwit` command. Godwit is TypeScript: on first run (and whenever a source file it uses changes) the CLI is
// bundled with esbuild into node_modules/.cache/godwit — its pure-JS dependencies included, split so that each
// command loads only its own code. If esbuild is unavailable, tsx compiles it on the fly instead. Either way no build
// step stands between a clone and a working command.
//
// Start-up is what users feel on every command, so the freshness check is cheap: the manifest lists the files the
// last bundle was built from (esbuild's metafile) with their size and mtime, and only those are stat'ed — a
// dependency upgrade shows in the lock files. No walk, no hashing, no esbuild load when nothing changed.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.GODWIT_BUNDLE_CACHE || join(root, 'node_modules', '.cache', 'godwit');
const manifestPath = join(cacheDir, 'manifest.json');
/** Bump when the build options below change, so old bundles are not reused. */
const BUILD_FORMAT = 3;
/** Besides the bundle's own inputs: what decides how packages resolve, and this loader. */
const EXTRA_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'bin/godwit.mjs'];
/**
 * Packages left outside the bundle: they load .wasm, native binaries or data files relative to their own folder, find
 * files with __dirname, or are optional and absent (pg-native). Everything else is bundled in.
 */
const EXTERNAL = [
  '@prisma/schema-engine-wasm', '@prisma/config', '@prisma/schema-files-loader', 'libpg-query',
  '@electric-sql/pglite', 'esbuild', 'tsx', 'vite', 'electron', 'playwright-core', 'pg-native',
  'ws', 'bufferutil', 'utf-8-validate', 'ssh2', 'cpu-features',
];

/** Size and mtime; a file written while the bundle was being built gets a print that never matches (rebuild next time). */
const fingerprint = (rel, builtFrom = Infinity) => {
  const s = statSync(join(root, rel), { throwIfNoEntry: false });
  if (!s) return '-';
  return s.mtimeMs >= builtFrom ? 'changed-during-build' : `${s.size}:${s.mtimeMs}`;
};

/** The built entry file when the manifest's inputs are unchanged, else null. */
function freshBundle() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return null;
  }
  if (manifest.format !== BUILD_FORMAT || manifest.node !== process.versions.node) return null;
  for (const [rel, print] of manifest.inputs) if (fingerprint(rel) !== print) return null;
  const entry = join(cacheDir, manifest.dir, 'run.mjs');
  return existsSync(entry) ? entry : null;
}

/**
 * pg looks for Cloudflare Workers by constructing a fetch Response, which makes Node 20 load its whole fetch stack
 * (undici, ~10 ms) on every command that connects. This CLI runs only in Node: skip that probe in the bundled copy.
 */
const pgWithoutFetch = {
  name: 'pg-without-fetch',
  setup(b) {
    b.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace("typeof Response === 'function'", 'false'), loader: 'js',
    }));
  },
};

/**
 * Classic zod (the app's contract, `serve`) stays in node_modules. Bundled, esbuild's code splitting would put all of
 * zod's core, every locale included, into the chunk shared with godwit.json's zod/mini schema: ~700 kB to compile on
 * every command. Only the exact specifier: zod/mini is bundled.
 */
const classicZodOutside = {
  name: 'classic-zod-outside',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: 'zod', external: true }));
  },
};

/** Bundles into a fresh folder, then points the manifest at it; concurrent runs never see a half-written bundle. */
async function buildBundle() {
  const { build } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now() - 1000;
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const result = await build({
    absWorkingDir: root, entryPoints: ['electron/cli/run.ts'], outdir: join(cacheDir, dir), outExtension: { '.js': '.mjs' },
    bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20', external: EXTERNAL,
    metafile: true, logLevel: 'silent', sourcemap: 'linked', chunkNames: 'chunk-[hash]', legalComments: 'none',
    // Less source for V8 to read on every start; names are kept so stack traces (GODWIT_DEBUG) stay legible.
    minifyWhitespace: true, minifySyntax: true,
    // Bundled CommonJS packages call require(); an ES module has none unless it is given one.
    banner: { js: "import { createRequire as __godwitRequire } from 'node:module'; const require = __godwitRequire(import.meta.url);" },
    plugins: [pgWithoutFetch, classicZodOutside],
  });
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/') && !p.includes(':'));
  const inputs = [...sources, ...EXTRA_INPUTS].map((rel) => [rel, fingerprint(rel, started)]);
  const tmp = `${manifestPath}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ format: BUILD_FORMAT, node: process.versions.node, dir, inputs }));
  renameSync(tmp, manifestPath);
  // Older bundles go once nobody can still be loading their chunks (a running command imports them lazily), in the
  // background: deleting hundreds of files must not delay this command.
  for (const old of readdirSync(cacheDir)) {
    if (old === dir || old === 'manifest.json' || old.startsWith('manifest.json.')) continue;
    const p = join(cacheDir, old);
    if (Date.now() - (statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10 * 60_000) void rm(p, { recursive: true, force: true }).catch(() => undefined);
  }
  return join(cacheDir, dir, 'run.mjs');
}

async function bundled() {
  if (process.env.GODWIT_NO_BUNDLE) return null;
  try {
    return freshBundle() ?? (await buildBundle());
  } catch (err) {
    // Running from source works but is several times slower and larger: say so rather than degrade silently.
    const reason = String(err?.message ?? err).split('\n')[0];
    if (process.env.GODWIT_REQUIRE_BUNDLE) {
      process.stderr.write(`godwit: could not bundle the CLI: ${reason}\n`);
      process.exit(2);
    }
    process.stderr.write(`godwit: could not bundle the CLI (${reason}); running from source, which is slower.\n`);
    return null;
  }
}

const file = await bundled();
if (file) {
  await import(pathToFileURL(file).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'electron', 'cli', 'run.ts')).href);
}
