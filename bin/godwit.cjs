#!/bin/sh
':' //; if [ -n "$NODE_EXTRA_CA_CERTS" ]; then case "$NODE_OPTIONS" in *-ca*) ;; *)
':' //;   GODWIT_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS; export GODWIT_EXTRA_CA_CERTS; unset NODE_EXTRA_CA_CERTS;; esac; fi
':' //; exec node "$0" "$@"
// The `godwit` command. Godwit is TypeScript: on first run (and whenever a source file it uses changes) the CLI is
// bundled with esbuild into node_modules/.cache/godwit — its pure-JS dependencies included, one CommonJS file whose
// commands are initialised only when run. If esbuild is unavailable, tsx compiles it on the fly instead. Either way no
// build step stands between a clone and a working command.
//
// Start-up is what users feel on every command, so the freshness check is cheap: the manifest lists the files the
// last bundle was built from (esbuild's metafile) with their size and mtime, and only those are stat'ed — a
// dependency upgrade shows in the lock files. No walk, no hashing, no esbuild load when nothing changed.
//
// The bundle is compiled with a V8 code cache kept beside it, one per set of command modules (status, tables, …),
// written after that command's first run: compiling the CLI's JavaScript cost every command 15–20 ms, ~4 ms from it.
//
// CommonJS, not an ES module: Node starts an ES module loader for a .mjs entry point, ~6 ms of every command.
// bin/godwit.mjs, the name older instructions use, loads this file.
//
// Run as a program (`godwit`, `./bin/godwit.cjs`) the file is first a POSIX shell script: the `':' //;` lines are
// shell to sh and a string plus a comment to JavaScript. They start Node without NODE_EXTRA_CA_CERTS, which Node 20
// reads at start-up by parsing every root certificate it knows, used or not: 35–40 ms of every command on a machine
// that sets it. The file's name travels in GODWIT_EXTRA_CA_CERTS; below it goes back into the environment (child
// processes get it as set), and a TLS connection that trusts Node's default CAs adds its certificates then
// (engine/db/extra-ca-certs.ts). With --use-openssl-ca or similar in NODE_OPTIONS, Node loads them as usual.
// Windows has no /bin/sh: there, run `node bin/godwit.cjs`, which skips those lines (and the saving).
'use strict';
if (process.env.GODWIT_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.GODWIT_EXTRA_CA_CERTS;
  delete process.env.GODWIT_EXTRA_CA_CERTS;
}
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rm, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { createRequire } = Module;
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

// WebAssembly (the SQL parser, Prisma's schema engine, PGlite) compiled by Liftoff alone: a command lives seconds,
// and V8's optimising tier spent them compiling. Measured on 2 cores: a first parse of 1,000 migrations 0.3 → 0.1 s,
// `status --drift` and `down-sql` 20–30% less CPU, `demo --reset` 21 → 16 s, `tables` on an embedded database
// 0.73 → 0.48 s. `serve` runs for hours: it keeps the optimising tier; GODWIT_WASM_TIERS=all keeps both for any command.
// But a V8 flag set at run time also voids Node's code cache for its own modules (their flag hash no longer matches):
// each built-in loaded after it (net, streams, dns…) is compiled from source, ~5 ms of a `tables` on a server. So the
// flag is set before the CLI is compiled only for commands that compile WebAssembly (command-modules.ts), and on
// first need (an embedded database) for the others: see beforeWebAssembly in runBundle.
const wasmTiersChosen = process.env.GODWIT_WASM_TIERS !== 'all' && !process.argv.slice(2).includes('serve');
let liftoffOnly = false;
function compileWebAssemblyWithLiftoffOnly() {
  if (!wasmTiersChosen || liftoffOnly) return;
  liftoffOnly = true;
  require('node:v8').setFlagsFromString('--liftoff-only');
}

const root = join(__dirname, '..');
const cacheDir = process.env.GODWIT_BUNDLE_CACHE || join(root, 'node_modules', '.cache', 'godwit');
const manifestPath = join(cacheDir, 'manifest.json');
/** Bump when the build options below change, so old bundles are not reused. */
const BUILD_FORMAT = 7;
/** Besides the bundle's own inputs: what decides how packages resolve, and this loader. */
const EXTRA_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'bin/godwit.cjs'];
/**
 * Packages left outside the bundle: they load .wasm, native binaries or data files relative to their own folder, find
 * files with __dirname, or are optional and absent (pg-native). Everything else is bundled in.
 */
const EXTERNAL = [
  '@prisma/schema-engine-wasm', '@prisma/config', '@prisma/schema-files-loader', 'libpg-query',
  '@electric-sql/pglite', 'esbuild', 'tsx', 'vite', 'electron', 'playwright-core', 'pg-native',
  'ws', 'bufferutil', 'utf-8-validate', 'ssh2', 'cpu-features',
];

/**
 * The bundles built, by entry point: the whole CLI, and one holding only `tables` and `describe` (run-read.ts), whose
 * start-up is measured against psql's: ~45 ms, of which reading the whole CLI and its code cache would be ~3.
 */
const BUNDLE_ENTRIES = { cli: 'electron/cli/run.ts', 'cli-read': 'electron/cli/run-read.ts' };
const BUNDLES = Object.keys(BUNDLE_ENTRIES);

/** Size and mtime; a file written while the bundle was being built gets a print that never matches (rebuild next time). */
const fingerprint = (rel, builtFrom = Infinity) => {
  const s = statSync(`${root}/${rel}`, { throwIfNoEntry: false }); // not path.join: ~200 files on every start
  if (!s) return '-';
  return s.mtimeMs >= builtFrom ? 'changed-during-build' : `${s.size}:${s.mtimeMs}`;
};

/**
 * The built bundle's folder when the inputs this command line can run are unchanged, else null. Those are the files
 * its command modules import, directly or not, and those the CLI loads before any command (manifest.needs, from
 * esbuild's metafile): the bundle initialises a module only when something imports it, so an edit elsewhere cannot
 * change what this command does, and the first command that reaches the edited file rebuilds. `tables` checks ~50
 * files instead of ~190.
 */
function freshBundle(racyIfOlder = false, settle = false) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return null;
  }
  if (manifest.format !== BUILD_FORMAT || manifest.node !== process.versions.node) return null;
  const dir = join(cacheDir, manifest.dir);
  if (!BUNDLES.every((b) => existsSync(join(dir, `${b}.cjs`)))) return null;
  try {
    // racyIfOlder (a process that waited for another's build): an input written within the second before that build
    // started is taken as built when it has not changed since the build's start (its folder name holds that time).
    const builtAt = racyIfOlder ? Number.parseInt(String(manifest.dir).split('-')[1], 36) : NaN;
    let settled = 0;
    for (const i of inputsToCheck(manifest, dir)) {
      const [rel, print] = manifest.inputs[i];
      const now = fingerprint(rel);
      if (now === print) continue;
      if (print !== 'changed-during-build' || !(Number(now.split(':')[1]) < builtAt)) return null;
      manifest.inputs[i][1] = now;
      settled++;
    }
    // Under the build lock (settle), such an input's print is written down: without it every later command would find
    // it changed and come here, through the lock, until the next build (~4 ms each; 100 ms when commands run together).
    if (settle && settled) writeQuietly(manifestPath, JSON.stringify(manifest));
  } catch {
    return null; // a damaged manifest: build afresh
  }
  return dir;
}

/**
 * Indices into manifest.inputs: those the command modules of this command line need, or all of them. Throws when the
 * bundle's command table cannot be read (freshBundle then rebuilds: runBundle needs that table too).
 */
function inputsToCheck(manifest, dir) {
  const all = () => manifest.inputs.keys();
  if (!manifest.needs) return all();
  const modules = commandModulesIn(dir).commandModulesFor(process.argv);
  if (modules.some((m) => !manifest.needs[m])) return all();
  return new Set([...manifest.needs.always, ...modules.flatMap((m) => manifest.needs[m])]);
}

/**
 * For each command module, the indices of the inputs it imports (directly or not, dynamic imports included); for
 * `always`, those the CLI imports before it picks a command, and the files that are not sources. Null when a command
 * module's file is not where its name says (electron/cli/commands/<kebab-name>.ts): every command then checks all.
 */
function inputsNeeded(metafile, inputs, moduleNames) {
  const index = new Map(inputs.map(([rel], i) => [rel, i]));
  const fileOf = (name) => `electron/cli/commands/${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
  const commandFiles = new Set(moduleNames.map(fileOf));
  if ([...commandFiles].some((f) => !metafile.inputs[f])) return null;
  const reach = (from, intoCommands) => {
    const seen = new Set();
    const todo = [...from];
    while (todo.length) {
      const p = todo.pop();
      if (seen.has(p) || !metafile.inputs[p]) continue;
      seen.add(p);
      for (const imp of metafile.inputs[p].imports) if (!imp.external && (intoCommands || !commandFiles.has(imp.path))) todo.push(imp.path);
    }
    return [...seen].flatMap((p) => (index.has(p) ? [index.get(p)] : []));
  };
  const always = [...reach([...Object.values(BUNDLE_ENTRIES), 'electron/cli/command-modules.ts'], false), ...EXTRA_INPUTS.map((rel) => index.get(rel))];
  return Object.fromEntries([['always', always], ...moduleNames.map((m) => [m, reach([fileOf(m)], true)])]);
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

/**
 * PGlite ships CommonJS and ES builds; the bundle requires the CommonJS one (a static import), so its dynamic imports
 * get the same copy: two copies would load PGlite's large module twice and mix their objects.
 */
const onePglite = {
  name: 'one-pglite',
  setup(b) {
    b.onResolve({ filter: /^@electric-sql\/pglite$/ }, (args) => (args.kind === 'dynamic-import' ? { path: 'pglite', namespace: 'godwit-cjs' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'godwit-cjs' }, () => ({ contents: "module.exports = require('@electric-sql/pglite');", loader: 'js', resolveDir: root }));
  },
};

/**
 * Node's crypto and child_process cost 1.5–2.5 and 0.5–1.5 ms to load (timed around require() in a fresh process), and
 * most commands never use them (`tables`, `describe`; child_process is commander's, for subcommands run as
 * executables, which Godwit has none of). In the bundle each is an object whose properties load the real module on
 * first use — the same functions, later. pg's crypto helpers read crypto's WebCrypto when they load: their module is
 * evaluated on first use as well. tls is loaded by the engine for its root certificates, needed on TLS connections only;
 * dns by pg, which looks hosts up with it only for pg-native (~0.7 ms; Node's net does not load it to reach an address).
 */
const LAZY_BUILTINS = ['crypto', 'child_process', 'tls', 'dns'];
const LAZY_FILES = [/[\\/]pg[\\/]lib[\\/]crypto[\\/]utils\.js$/];
const lazyLoads = {
  name: 'lazy-loads',
  setup(b) {
    const builtins = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter: builtins }, (args) => (args.namespace === 'godwit-lazy' ? undefined : { path: args.path.replace(/^node:/, ''), namespace: 'godwit-lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'godwit-lazy' }, (args) => ({
      contents: lazyExports(`require('node:${args.path}')`, Object.getOwnPropertyNames(require(`node:${args.path}`))), loader: 'js',
    }));
    for (const filter of LAZY_FILES) {
      b.onLoad({ filter }, (args) => {
        const body = readFileSync(args.path, 'utf8');
        const load = `(function () { var module = { exports: {} }, exports = module.exports;\n${body}\nreturn module.exports; })()`;
        return { contents: lazyExports(load, Object.keys(createRequire(args.path)(args.path))), loader: 'js', resolveDir: dirname(args.path) };
      });
    }
  },
};

/** CommonJS whose exports are getters that evaluate `load` once, on first use. */
const lazyExports = (load, names) => `let loaded;\nconst real = () => loaded ??= ${load};\nmodule.exports = {\n${
  names.map((n) => `  get ${JSON.stringify(n)}() { return real()[${JSON.stringify(n)}]; },`).join('\n')}\n};\n`;

/** A global the bundle's import() calls become (buildBundle); 7 characters with its parenthesis, as `import(`. */
const IMPORT_HOOK = '$gwImp';
/** What the engine calls before it compiles WebAssembly (engine/util/wasm-tiers.ts). */
const BEFORE_WEBASSEMBLY = Symbol.for('godwit.beforeWebAssembly');

/** Whether this process built the bundle: it then loaded esbuild's modules too, not only the command's. */
let builtHere = false;

/** Bundles into a fresh folder, then points the manifest at it; concurrent runs never see a half-written bundle. */
async function buildBundle() {
  builtHere = true;
  const { build } = require('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now() - 1000;
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const result = await build({
    absWorkingDir: root, outdir: join(cacheDir, dir), outExtension: { '.js': '.cjs' },
    // The CLI (whole, and the smaller one for `tables`), and apart the table of its commands, which the launcher reads
    // to pick the bundle and its code cache (runBundle).
    entryPoints: { ...BUNDLE_ENTRIES, 'command-modules': 'electron/cli/command-modules.ts' },
    // CommonJS: V8 can take a code cache for a script (vm.Script) but Node 20 has none for ES modules.
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: EXTERNAL,
    metafile: true, logLevel: 'silent', sourcemap: 'linked', legalComments: 'none',
    // Less source for V8 to read on every start; names are kept so stack traces (GODWIT_DEBUG) stay legible.
    minifyWhitespace: true, minifySyntax: true,
    // Modules that find files next to themselves (package-root.ts, createRequire) get the bundle's own location,
    // computed when first read: the command table (command-modules.cjs) and most commands never ask (~0.6 ms).
    define: { 'import.meta.url': '__godwitImportMeta.url' },
    banner: { js: "var __godwitImportMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
    plugins: [pgWithoutFetch, classicZodOutside, onePglite, lazyLoads],
  });
  // What is left of import() after bundling loads a package or file outside the bundle: routed to the launcher, as
  // a script compiled with a code cache loses Node's import() (vm.Script with cachedData, Node 20). Same length:
  // the source map stays exact.
  for (const b of BUNDLES) {
    const cli = join(cacheDir, dir, `${b}.cjs`);
    writeFileSync(cli, readFileSync(cli, 'utf8').replace(/(?<![\w$.])import\(/g, () => `${IMPORT_HOOK}(`));
  }
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/') && !p.includes(':'));
  const inputs = [...sources, ...EXTRA_INPUTS].map((rel) => [rel, fingerprint(rel, started)]);
  const needs = inputsNeeded(result.metafile, inputs, commandModulesIn(join(cacheDir, dir)).COMMAND_MODULE_NAMES);
  const tmp = `${manifestPath}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ format: BUILD_FORMAT, node: process.versions.node, dir, inputs, needs }));
  renameSync(tmp, manifestPath);
  // Older bundles go once nobody can still be loading their chunks (a running command imports them lazily), in the
  // background: deleting hundreds of files must not delay this command.
  for (const old of readdirSync(cacheDir)) {
    if (old === dir || old === 'manifest.json' || old === '.building' || old.startsWith('manifest.json.')) continue;
    const p = join(cacheDir, old);
    if (Date.now() - (statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10 * 60_000) rm(p, { recursive: true, force: true }, () => undefined);
  }
  return join(cacheDir, dir);
}

/**
 * One build at a time: commands started together after a source change (a CI matrix, a test run's parallel workers,
 * scripts) each built the same bundle — ~40 builds in a minute were seen. The first takes a lock folder; the others
 * wait for its bundle (up to 60 s; a lock older than that is a builder that died, and is taken over).
 */
async function buildOnce() {
  const lock = join(cacheDir, '.building');
  mkdirSync(cacheDir, { recursive: true });
  for (const deadline = Date.now() + 60_000; ;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 60_000 || Date.now() > deadline) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 100));
      const built = freshBundle(true);
      if (built) return built;
    }
  }
  try {
    return freshBundle(true, true) ?? (await buildBundle());
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function bundled() {
  if (process.env.GODWIT_NO_BUNDLE) return null;
  try {
    return freshBundle() ?? (await buildOnce());
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

/**
 * Node's public built-in modules this process has loaded. Node compiles its own modules from a code cache made under
 * V8's default flags: one loaded after --liftoff-only is set compiles from source (net, streams, crypto, fs/promises:
 * ~3 ms with the cache, ~8 without). Commands that set the flag at start record what they loaded, and later runs load
 * those first (loadBuiltinsFrom): ~5–9 ms of every `up`, `down` and `sql`.
 */
const publicBuiltinsLoaded = () => process.moduleLoadList.flatMap((m) => (
  m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/') ? [m.slice('NativeModule '.length)] : []
));

/** Built-ins that print a deprecation or experimental warning when loaded. */
const WARN_WHEN_LOADED = new Set(['wasi', 'punycode', 'sys', 'test', 'sqlite', 'sea']);

function loadBuiltinsFrom(path) {
  let names;
  try {
    names = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return; // not recorded yet
  }
  if (!Array.isArray(names)) return; // damaged: the exit writes it again only when missing, so this run goes without
  for (const name of names) {
    if (typeof name !== 'string') continue;
    if (WARN_WHEN_LOADED.has(name)) continue; // left to whoever needs them, and their warning with them
    try {
      require(`node:${name}`);
    } catch {
      // not a module of this Node
    }
  }
}

/** Writes under a temporary name and renames; a read-only install goes without. */
function writeQuietly(path, data) {
  try {
    const tmp = `${path}.${process.pid}`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch {
    // A read-only install runs without it.
  }
}

/**
 * The bundle's table of command modules (electron/cli/command-modules.ts, import-free), run as a script: require()
 * would first resolve its path, reading package.json files on the way (~0.6 ms).
 */
const commandTables = new Map();
function commandModulesIn(dir) {
  if (commandTables.has(dir)) return commandTables.get(dir);
  const file = join(dir, 'command-modules.cjs');
  const module = { exports: {} };
  vm.runInThisContext(Module.wrap(readFileSync(file, 'utf8')), { filename: file })(module.exports, require, module, file, dir);
  commandTables.set(dir, module.exports);
  return module.exports;
}

/**
 * Runs the bundle in `dir`, compiled with the code cache made for the command modules this command line needs. A
 * missing or rejected cache (another Node, other V8 flags) is written when the command ends well: with the functions
 * it compiled, which a cache made before running would lack. Caches live in the bundle's folder, which a rebuild
 * replaces, so a cache never meets other source than its own.
 */
function runBundle(dir) {
  const { bundleFor, commandModulesFor, COMMAND_MODULE_NAMES, expectsWebAssembly } = commandModulesIn(dir);
  const bundle = bundleFor(process.argv);
  const file = join(dir, `${bundle}.cjs`);
  const requireHere = createRequire(file);
  globalThis[IMPORT_HOOK] = (specifier) => import(specifier);
  // Where the engine keeps what parsing scripts told it (engine/sql/analysis-cache.ts): replaced with the bundle.
  globalThis[Symbol.for('godwit.buildDir')] = dir;
  const wasmFromStart = expectsWebAssembly(process.argv);
  if (process.env.GODWIT_NO_CODE_CACHE) {
    if (wasmFromStart) compileWebAssemblyWithLiftoffOnly();
    globalThis[BEFORE_WEBASSEMBLY] = compileWebAssemblyWithLiftoffOnly;
    return void requireHere(file);
  }
  const modules = commandModulesFor(process.argv);
  // A cache holds the flag hash it was made under: one per flag state, or `status` and `status --drift` would void
  // each other's.
  const key = `${bundle === 'cli' ? '' : `${bundle}-`}${modules.length === COMMAND_MODULE_NAMES.length ? 'all' : modules.join('+') || 'none'}${wasmFromStart && wasmTiersChosen ? '-liftoff' : ''}`;
  const builtinsPath = join(dir, `builtins-${key}.json`);
  if (wasmFromStart) {
    loadBuiltinsFrom(builtinsPath);
    compileWebAssemblyWithLiftoffOnly();
  }
  const cachePath = join(dir, `code-cache-${key}.bin`);
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const writeCache = !cachedData || script.cachedDataRejected;
  /** The cache to write at exit, when it must be taken before the flag changes (below). */
  let taken;
  // The engine calls this before it compiles WebAssembly (engine/util/wasm-tiers.ts). A cache made after the flag
  // changed would carry the new hash and be rejected by the next run, compiled without it: take it first.
  globalThis[BEFORE_WEBASSEMBLY] = () => {
    if (!wasmTiersChosen || liftoffOnly) return;
    if (writeCache) taken ??= script.createCachedData();
    compileWebAssemblyWithLiftoffOnly();
  };
  if (liftoffOnly && !builtHere && !existsSync(builtinsPath)) {
    process.once('exit', (code) => {
      if (code <= 1) writeQuietly(builtinsPath, JSON.stringify(publicBuiltinsLoaded()));
    });
  }
  if (writeCache) {
    process.once('exit', (code) => {
      if (code > 1) return; // a command that failed early compiled too little to be worth keeping
      writeQuietly(cachePath, taken ?? script.createCachedData());
    });
  }
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, requireHere, module, file, dir);
}

async function main() {
  const dir = await bundled();
  if (dir) {
    runBundle(dir);
  } else {
    compileWebAssemblyWithLiftoffOnly();
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(join(root, 'electron', 'cli', 'run.ts')).href);
  }
}

void main();
