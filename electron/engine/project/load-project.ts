// Synchronous on purpose: a handful of small files, read in microseconds each, where the promise API cost every
// command loading its module (~1.2 ms, with readline and streams) and a trip through libuv's thread pool per call.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { GodwitError } from '../util/errors.ts';
import { statIfAny } from '../util/stat-if-any.ts';
import { readGodwitJson, type EnvironmentConfig } from './environment-config.ts';
import { schemaUrls, withoutSchemaUrls, type SchemaUrls } from './schema-datasource.ts';
import { withGodwitModules } from './config-modules.ts';
import { loadConfigFast, UNSET_ENV, type FastConfig } from './fast-config.ts';

/**
 * Where Prisma 7 looks for its config, in its order (@prisma/config's findPrismaConfigFile): `prisma7.config.*`,
 * `.config/prisma7.*`, then `prisma.config.*` and the `.config/` spellings (ghostfolio keeps `.config/prisma.ts`).
 */
const EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts'];
const CONFIG_NAMES = [
  ...EXTENSIONS.map((e) => `prisma7.config${e}`),
  ...EXTENSIONS.map((e) => join('.config', `prisma7${e}`)),
  ...['prisma.config', join('.config', 'prisma'), join('.config', 'prisma.config')].flatMap((base) => [
    ...EXTENSIONS.map((e) => `${base}${e}`),
    ...EXTENSIONS.map((e) => join(base, `index${e}`)),
  ]),
];

/** A Prisma schema file as the schema engine takes it. */
export interface SchemaFile {
  path: string;
  content: string;
}

/** A Prisma project opened by Godwit. */
export interface Project {
  dir: string;
  configPath: string | null;
  schemaPath: string;
  /** As the schema engine takes them: without Prisma 6's datasource urls (see schema-datasource.ts). */
  schemaFiles: SchemaFile[];
  migrationsDir: string;
  /** Prisma's `migrations.initShadowDb`, run on every shadow database before replaying. */
  shadowDbInitScript: string;
  externalTables: string[];
  externalEnums: string[];
  environments: EnvironmentConfig[];
}

const exists = (path: string) => statIfAny(path) !== undefined;

/**
 * The schema: one file, or for a folder (Prisma's multi-file schemas) every .prisma file in it, found by Prisma's own
 * loader. A single file is read directly: the loader would walk its folder, migrations included.
 */
async function readSchemaFiles(schemaPath: string): Promise<SchemaFile[]> {
  const info = statIfAny(schemaPath);
  if (!info) throw new GodwitError('no-schema', `The Prisma schema ${schemaPath} does not exist.`);
  if (info.isFile()) return [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }];
  const { loadSchemaFiles } = await import('@prisma/schema-files-loader');
  const loaded = await loadSchemaFiles(schemaPath);
  return loaded.map(([path, content]) => ({ path, content })).sort((a, b) => a.path.localeCompare(b.path));
}

/** The provider of the schema's datasource block, e.g. "postgresql". */
export function schemaProvider(files: SchemaFile[]): string | null {
  for (const f of files) {
    const block = /datasource\s+\w+\s*\{([^}]*)\}/m.exec(f.content)?.[1];
    const provider = block && /provider\s*=\s*"([^"]+)"/.exec(block)?.[1];
    if (provider) return provider;
  }
  return null;
}

/**
 * Where Prisma finds the schema of a project without a config, in its order: package.json's `prisma.schema` (Prisma
 * 6 and before), `prisma/schema.prisma`, the `prisma/schema/` folder of a multi-file schema (Prisma 6's
 * prismaSchemaFolder; papermark: its migrations beside it, in prisma/migrations), `schema.prisma` at the top
 * (documenso's packages/prisma). Null when there is none.
 */
function defaultSchemaLocation(dir: string, top: Set<string>): { schemaPath: string; migrationsDir: string | null } | null {
  if (top.has('package.json') && statIfAny(join(dir, 'package.json'))?.isFile()) {
    let declared: unknown;
    try {
      declared = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { prisma?: { schema?: unknown } }).prisma?.schema;
    } catch {
      declared = undefined; // not JSON: Prisma would fail on it too; the other places are still looked at
    }
    if (typeof declared === 'string' && declared && exists(resolve(dir, declared))) return { schemaPath: resolve(dir, declared), migrationsDir: null };
  }
  if (top.has('prisma')) {
    if (statIfAny(join(dir, 'prisma', 'schema.prisma'))?.isFile()) return { schemaPath: join(dir, 'prisma', 'schema.prisma'), migrationsDir: null };
    const folder = join(dir, 'prisma', 'schema');
    if (statIfAny(folder)?.isDirectory() && readdirSync(folder).some((f) => f.endsWith('.prisma'))) {
      const inside = join(folder, 'migrations');
      return { schemaPath: folder, migrationsDir: statIfAny(inside)?.isDirectory() ? inside : join(dir, 'prisma', 'migrations') };
    }
  }
  if (top.has('schema.prisma') && statIfAny(join(dir, 'schema.prisma'))?.isFile()) return { schemaPath: join(dir, 'schema.prisma'), migrationsDir: null };
  return null;
}

/**
 * Opens the Prisma project in `dir`: `prisma.config.ts` loaded through Prisma's own loader, else the classic
 * `prisma/schema.prisma` layout. `.env` in the folder is loaded first (never overriding variables already set),
 * which is what `import 'dotenv/config'` in a Prisma config does.
 */
/**
 * `allowUnsetEnv`: the command names its database itself (--url), so a config reading an unset variable with env()
 * for its URLs loads all the same, without them (formbricks' config needs DATABASE_URL; every command failed).
 */
/** allowUnsetEnv: env() of an unset variable is no error (the database is named otherwise); schema: as prisma --schema. */
export interface ProjectOptions {
  allowUnsetEnv?: boolean | undefined;
  schema?: string | undefined;
}

export async function loadProject(dirArg: string, options: ProjectOptions = {}): Promise<Project> {
  const dir = resolve(dirArg);
  const info = statIfAny(dir);
  if (!info?.isDirectory()) throw new GodwitError('no-project-dir', `The project folder ${dir} does not exist.`);
  // A .env that is a FIFO or a device would be read forever.
  if (statIfAny(join(dir, '.env'))?.isFile()) loadDotenv({ path: join(dir, '.env'), quiet: true });

  let configPath: string | null = null;
  // One listing of the folder instead of ~60 stats: only candidates whose first part is there are looked at.
  const top = new Set(readdirSync(dir));
  for (const name of CONFIG_NAMES) {
    if (!configPath && top.has(name.split(sep)[0]!) && statIfAny(join(dir, name))?.isFile()) configPath = join(dir, name);
  }

  let schemaPath = join(dir, 'prisma', 'schema.prisma');
  let migrationsDir: string | null = null;
  let shadowDbInitScript = '';
  let externalTables: string[] = [];
  let externalEnums: string[] = [];
  let configUrls: SchemaUrls = {};
  if (configPath) {
    // With godwit.json, the environments are its own: the config's URLs are not read, so an env() of an unset variable
    // there (hoppscotch's DATABASE_URL) must not stop every command.
    const cfg = await readPrismaConfig(configPath, dir, options.allowUnsetEnv === true || top.has('godwit.json'));
    const base = dirname(configPath);
    if (cfg.schema) schemaPath = resolve(base, cfg.schema);
    if (cfg.migrations?.path) migrationsDir = resolve(base, cfg.migrations.path);
    shadowDbInitScript = cfg.migrations?.initShadowDb ?? '';
    externalTables = cfg.tables?.external ?? [];
    externalEnums = cfg.enums?.external ?? [];
    const set = (url: string | undefined) => (url?.startsWith(UNSET_ENV) ? undefined : url);
    configUrls = { url: set(cfg.datasource?.url), shadowDatabaseUrl: set(cfg.datasource?.shadowDatabaseUrl) };
  } else if (!options.schema) {
    const found = defaultSchemaLocation(dir, top);
    if (!found) {
      throw new GodwitError(
        'not-a-project',
        `${dir} is not a Prisma project: it has no prisma.config.ts, and no schema where Prisma looks without one (package.json's prisma.schema, prisma/schema.prisma, prisma/schema/, schema.prisma).`,
        'Choose the folder that holds them (--project on the command line), or name a schema file of another name with --schema (prisma/schema.full.prisma, say).',
      );
    }
    schemaPath = found.schemaPath;
    migrationsDir = found.migrationsDir;
  }
  // --schema, as Prisma's own: relative to the current folder; it wins over the config's schema, not its migrations path.
  if (options.schema) {
    schemaPath = resolve(options.schema);
    if (!statIfAny(schemaPath)) throw new GodwitError('no-schema', `The schema ${schemaPath} (--schema) does not exist.`);
  }
  const schemaFiles = await readSchemaFiles(schemaPath);
  const fromSchema = schemaUrls(schemaFiles.map((f) => f.content));
  for (const f of schemaFiles) f.content = withoutSchemaUrls(f.content);
  const provider = schemaProvider(schemaFiles);
  if (provider && provider !== 'postgresql' && provider !== 'postgres') {
    throw new GodwitError('wrong-provider', `The Prisma schema uses provider "${provider}"; Godwit manages PostgreSQL.`);
  }
  migrationsDir ??= join(statIfAny(schemaPath)?.isDirectory() ? schemaPath : dirname(schemaPath), 'migrations');

  const environments = (await readGodwitJson(dir)) ?? defaultEnvironments(configUrls, fromSchema, configPath);
  return {
    dir,
    configPath,
    schemaPath,
    schemaFiles,
    migrationsDir,
    shadowDbInitScript,
    externalTables,
    externalEnums,
    environments,
  };
}

/**
 * The config's settings: through Godwit's cached compile when it can serve the config (see fast-config.ts), else
 * through Prisma's own loader, whose errors are reported as they are.
 */
async function readPrismaConfig(configPath: string, dir: string, allowUnsetEnv: boolean): Promise<FastConfig> {
  const configError = (tag: string, message: string) =>
    new GodwitError('bad-prisma-config', `Cannot load ${configPath} (${tag}): ${message.split('\n')[0]}`);
  if (process.env.GODWIT_PRISMA_CONFIG_LOADER !== 'prisma') {
    try {
      const fast = await loadConfigFast(configPath, allowUnsetEnv);
      if (fast) return fast;
    } catch (e) {
      // env() of an unset variable: Prisma's loader fails the same way.
      const err = configError('ConfigLoadError', (e as Error).message);
      throw new GodwitError(err.code, err.message, 'Set it (in the project\'s .env, for one), or name the database with --url.');
    }
  }
  const { loadConfigFromFile } = await import('@prisma/config');
  const loaded = await withGodwitModules(dir, () => loadConfigFromFile({ configFile: configPath, configRoot: dir }));
  if (loaded.error) {
    const cause = 'error' in loaded.error ? `: ${loaded.error.error.message.split('\n')[0]}` : '';
    throw new GodwitError('bad-prisma-config', `Cannot load ${configPath} (${loaded.error._tag})${cause}`);
  }
  return loaded.config as FastConfig;
}

/**
 * Without godwit.json the project has one environment, `dev`: the Prisma config's datasource, else the schema's
 * (Prisma 6; `directUrl` first, as Prisma Migrate uses it), else `$DATABASE_URL` for a project without a config.
 */
function defaultEnvironments(config: SchemaUrls, schema: SchemaUrls, configPath: string | null): EnvironmentConfig[] {
  const url = config.url ?? usable(schema.directUrl) ?? schema.url ?? (!configPath && process.env.DATABASE_URL ? 'env:DATABASE_URL' : undefined);
  if (!url) return [];
  const shadowDatabaseUrl = config.url ? config.shadowDatabaseUrl : (usable(schema.shadowDatabaseUrl) ?? config.shadowDatabaseUrl);
  return [{ name: 'dev', url, protected: false, ...(shadowDatabaseUrl ? { shadowDatabaseUrl } : {}) }];
}

/** An optional schema url is skipped when its variable is unset, as Prisma only reads it when it needs it. */
function usable(url: string | undefined): string | undefined {
  return url?.startsWith('env:') && !process.env[url.slice(4)] ? undefined : url;
}
