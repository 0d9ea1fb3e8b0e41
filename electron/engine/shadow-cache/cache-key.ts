import { createHash } from 'node:crypto';
import type { LocalMigration } from '../migrations/read-folder.ts';

/** Bump when the way a cache is built or marked changes: caches of another format are never read. */
export const CACHE_FORMAT = 1;

/** Cache databases are named `godwit_shadow_cache_<first 32 hex of the key>` (63 characters at most). */
export const CACHE_PREFIX = 'godwit_shadow_cache_';

/** What a cached shadow's contents depend on besides the scripts replayed into it. */
export interface CacheContext {
  godwitVersion: string;
  prismaVersion: string;
  /** server_version_num: a cache built by one server build is not reused by another. */
  serverVersion: string;
  /** The role that replays (owner of everything in the shadow). */
  user: string;
  /** The shadow-database init script (Prisma config's `migrations.initShadowDb`), replayed before the migrations. */
  initScript: string;
}

/** One script the engine runs on a shadow, in order, and the migration it comes from (null: the init script). */
export interface ShadowScript {
  name: string | null;
  sql: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The scripts a replay of `migrations` runs, as the engine runs them: the init script (when set), then each migration.sql. */
export function shadowScripts(initScript: string, migrations: LocalMigration[]): ShadowScript[] {
  return [...(initScript ? [{ name: null, sql: initScript }] : []), ...migrations.map((m) => ({ name: m.name, sql: m.upSql }))];
}

/**
 * The key of every prefix of a script sequence: keys[k] names the state after the first k scripts. A chain
 * (each key hashes the previous one), so an edited or inserted script changes the key of every later prefix.
 */
export function prefixKeys(ctx: CacheContext, scripts: ShadowScript[]): string[] {
  const keys = [sha256(JSON.stringify({ format: CACHE_FORMAT, ...ctx, initScript: sha256(ctx.initScript) }))];
  for (const s of scripts) keys.push(sha256(`${keys[keys.length - 1]}\n${s.name ?? ''}\n${sha256(s.sql)}`));
  return keys;
}

export function cacheDatabaseName(key: string): string {
  return `${CACHE_PREFIX}${key.slice(0, 32)}`;
}
