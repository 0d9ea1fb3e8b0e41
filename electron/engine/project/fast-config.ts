import { createHash } from 'node:crypto';
// The cache is checked synchronously (a few small files, on every command); building it, once, uses fs.promises,
// which loads only then.
import { promises as fsp, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { packageRoot } from '../util/package-root.ts';
import { statIfAny } from '../util/stat-if-any.ts';

/**
 * A cheap path for a project's prisma.config.ts. `@prisma/config` loads the whole `effect` library (~300 ms) and c12/jiti
 * compile the file (~100 ms) on every command. Here esbuild compiles it once to an ES module in a cache folder keyed by
 * its content and mtime, with `@prisma/config` / `prisma/config` served by a small shim (what real configs use:
 * `defineConfig`, `env`, types), then Node imports it. Anything the shim cannot serve returns `null`, and the caller
 * takes Prisma's own loader: an unknown export, a config that fails to compile or run, a shape Prisma would reject.
 */

/**
 * What env() gives for an unset variable while the config is loaded with `allowUnsetEnv` (the command names its
 * database with --url, so the config's URLs are not used): a string no URL is, which the project then drops.
 */
export const UNSET_ENV = '\u0000godwit-unset:';

/** Prisma's own `defineConfig` (validation and defaults come after, as Prisma does for a plain object) and `env`. */
const SHIM = `export class PrismaConfigEnvError extends Error {
  constructor(name) { super('Cannot resolve environment variable: ' + name + '.'); this.name = 'PrismaConfigEnvError'; this.godwitShim = true; }
}
export function env(name) {
  const value = process.env[name];
  if (value) return value;
  if (globalThis[Symbol.for('godwit.unsetEnvAllowed')]) return ${JSON.stringify(UNSET_ENV)} + name;
  throw new PrismaConfigEnvError(name);
}
export function defineConfig(config) { return config; }
`;
/** Bumped when the compiled output's shape changes, so old cache entries are not reused. */
const FORMAT = 3;

/**
 * PrismaConfigShape of @prisma/config 7 (unknown keys rejected, as Prisma does), with its experimental-flag rules.
 * Built on first use: only projects with a prisma.config.ts need it.
 */
function buildConfigShape() {
  const strings = z.optional(z.array(z.string()));
  const pathOnly = z.optional(z.strictObject({ path: z.optional(z.string()) }));
  return z.strictObject({
    experimental: z.optional(z.strictObject({ externalTables: z.optional(z.boolean()), extensions: z.optional(z.boolean()) })),
    datasource: z.optional(z.strictObject({ url: z.optional(z.string()), shadowDatabaseUrl: z.optional(z.string()) })),
    schema: z.optional(z.string()),
    migrations: z.optional(z.strictObject({
      path: z.optional(z.string()),
      initShadowDb: z.optional(z.string()),
      seed: z.optional(z.string().check(z.minLength(1))),
    })),
    tables: z.optional(z.strictObject({ external: strings })),
    enums: z.optional(z.strictObject({ external: strings })),
    views: pathOnly,
    typedSql: pathOnly,
    extensions: z.optional(z.any()),
  });
}
let configShape: ReturnType<typeof buildConfigShape> | undefined;
export type FastConfig = z.infer<ReturnType<typeof buildConfigShape>>;

/** The config's default export, validated; `null` when Prisma's loader must decide. An unset `env()` throws its error. */
export async function loadConfigFast(configPath: string, allowUnsetEnv = false): Promise<FastConfig | null> {
  let exported: unknown;
  const flag = Symbol.for('godwit.unsetEnvAllowed');
  (globalThis as Record<symbol, unknown>)[flag] = allowUnsetEnv;
  try {
    const compiled = await compiledConfig(configPath);
    if (!compiled) return null;
    if (compiled.endsWith('.cjs')) {
      // Required afresh each load, so it reads process.env again; its packages stay loaded, as with import().
      const load = createRequire(compiled);
      delete load.cache[compiled];
      exported = load(compiled) as unknown;
    } else {
      exported = ((await import(`${pathToFileURL(compiled).href}?load=${++loads}`)) as { default?: unknown }).default;
    }
    // An ES module's default export, compiled to CommonJS (or a CommonJS config compiled to an ES module).
    if (exported && typeof exported === 'object' && '__esModule' in exported && 'default' in exported) exported = exported.default;
  } catch (e) {
    // An unset variable read through env(): Prisma's loader reports the same error, as a ConfigLoadError.
    if (e instanceof Error && (e as { godwitShim?: boolean }).godwitShim) throw e;
    return null;
  } finally {
    delete (globalThis as Record<symbol, unknown>)[flag];
  }
  const parsed = (configShape ??= buildConfigShape()).safeParse(exported);
  if (!parsed.success) return null;
  const c = parsed.data;
  const externalTables = !!c.experimental?.externalTables;
  if ((c.tables?.external || c.enums?.external || c.migrations?.initShadowDb) && !externalTables) return null;
  if (c.extensions && !c.experimental?.extensions) return null;
  return c;
}

/** Each load imports a fresh module instance: the config reads process.env when it runs, as Prisma's (uncached) loader. */
let loads = 0;

interface CacheMeta {
  /** CommonJS when the config and every package it imports allow it: Node then starts no ES module loader (~6 ms). */
  format: 'cjs' | 'esm';
  inputs: [path: string, mtimeMs: number, size: number][];
}

/**
 * The compiled module's path (.cjs or .mjs): from the cache when the config and every local file it imports are
 * unchanged. Exported for tests.
 */
export async function compiledConfig(configPath: string): Promise<string | null> {
  const content = readFileSync(configPath);
  const info = statSync(configPath);
  const key = createHash('sha256').update(`${FORMAT}\0${configPath}\0${info.mtimeMs}\0`).update(content).digest('hex').slice(0, 32);
  const dir = join(packageRoot(), 'node_modules', '.cache', 'godwit-config');
  const metaPath = join(dir, `${key}.json`);
  const meta = readMeta(metaPath);
  if (meta && (meta.format === 'cjs' || meta.format === 'esm') && unchanged(meta)) return compiledFile(join(dir, key), meta.format);
  return build(configPath, dir, join(dir, key), metaPath);
}

function readMeta(metaPath: string): CacheMeta | null {
  try {
    return JSON.parse(readFileSync(metaPath, 'utf8')) as CacheMeta;
  } catch {
    return null;
  }
}

function unchanged(meta: CacheMeta): boolean {
  return meta.inputs.every(([p, mtimeMs, size]) => {
    const now = statIfAny(p);
    return now?.mtimeMs === mtimeMs && now?.size === size;
  });
}

/**
 * Bundles the config with its local imports; packages stay outside, resolved to absolute paths from the project (its
 * own copy first) or else from Godwit, so the compiled file imports what the config would have imported in place.
 * CommonJS first (packages resolved as `require` would); an ES module when the config needs one: a package that is
 * only an ES module, or top-level await.
 */
async function build(configPath: string, dir: string, base: string, metaPath: string): Promise<string | null> {
  const configDir = dirname(configPath);
  let used: CacheMeta['format'] = 'cjs';
  let result = await bundle(configPath, used);
  if (!result) result = await bundle(configPath, (used = 'esm'));
  const out = compiledFile(base, used);
  if (!result?.outputFiles?.[0] || !result.metafile) return null;
  const inputs = await Promise.all(
    Object.keys(result.metafile.inputs)
      .filter((p) => !p.includes(':'))
      .map(async (p): Promise<CacheMeta['inputs'][number]> => {
        const abs = join(configDir, p);
        const s = await fsp.stat(abs);
        return [abs, s.mtimeMs, s.size];
      }),
  );
  await fsp.mkdir(dir, { recursive: true });
  // Written under a temporary name and renamed: a concurrent command never imports a half-written file.
  const tmp = `${out}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, result.outputFiles[0].contents);
  await fsp.rename(tmp, out);
  await fsp.writeFile(`${metaPath}.${process.pid}.tmp`, JSON.stringify({ format: used, inputs } satisfies CacheMeta));
  await fsp.rename(`${metaPath}.${process.pid}.tmp`, metaPath);
  return out;
}

/** Where the config compiled in `format` is kept: the extension tells Node how to load it. */
const compiledFile = (base: string, format: CacheMeta['format']) => `${base}.${format === 'cjs' ? 'cjs' : 'mjs'}`;

/** esbuild's output for one format; null when it fails, or (CommonJS) when a package it imports is an ES module. */
async function bundle(configPath: string, format: CacheMeta['format']) {
  const { build: esbuild } = await import('esbuild');
  const configDir = dirname(configPath);
  const godwitDir = packageRoot();
  let needsEsm = false;
  const result = await esbuild({
    entryPoints: [configPath],
    absWorkingDir: configDir,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format,
    target: 'node20',
    logLevel: 'silent',
    // The config's own location, not the cache's, for code that locates files relative to itself.
    define: {
      __dirname: JSON.stringify(configDir),
      __filename: JSON.stringify(configPath),
      'import.meta.url': JSON.stringify(pathToFileURL(configPath).href),
      'import.meta.dirname': JSON.stringify(configDir),
      'import.meta.filename': JSON.stringify(configPath),
    },
    ...(format === 'esm' ? { banner: { js: `import { createRequire as __godwitCreateRequire } from 'node:module'; const require = __godwitCreateRequire(${JSON.stringify(configPath)});` } } : {}),
    plugins: [{
      name: 'godwit-config-imports',
      setup(b) {
        b.onResolve({ filter: /^(@prisma\/config|prisma\/config)$/ }, () => ({ path: 'prisma-config', namespace: 'godwit-shim' }));
        b.onLoad({ filter: /.*/, namespace: 'godwit-shim' }, () => ({ contents: SHIM, loader: 'js' }));
        b.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (isBuiltin(args.path) || args.pluginData === 'godwit') return undefined;
          const kind = format === 'cjs' ? 'require-call' : args.kind;
          for (const resolveDir of [args.resolveDir || configDir, godwitDir]) {
            const r = await b.resolve(args.path, { kind, resolveDir, pluginData: 'godwit' });
            if (r.errors.length || !r.path) continue;
            if (format === 'cjs' && isEsModule(r.path)) needsEsm = true;
            return { path: format === 'cjs' ? r.path : pathToFileURL(r.path).href, external: true };
          }
          return undefined;
        });
      },
    }],
  }).catch(() => null);
  return needsEsm ? null : result;
}

/** Whether Node loads `file` as an ES module: by its extension, else by the nearest package.json's "type". */
function isEsModule(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let d = dirname(file); ; d = dirname(d)) {
    let text: string;
    try {
      text = readFileSync(join(d, 'package.json'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return true; // unreadable: the ES module path decides
      if (dirname(d) === d) return false;
      continue;
    }
    try {
      return (JSON.parse(text) as { type?: unknown }).type === 'module';
    } catch {
      return true;
    }
  }
}
