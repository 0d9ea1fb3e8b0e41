import { randomBytes } from 'node:crypto';
import type { Extensions, PGlite } from '@electric-sql/pglite';
import type { Db } from '../db/db.ts';
import { connectPostgres } from '../db/connect-postgres.ts';

import type { Environment } from '../project/environments.ts';
import { sqlIdentifier } from '../history/history-table.ts';
import { GodwitError, describeError } from '../util/errors.ts';
import { beforeWebAssembly } from '../util/wasm-tiers.ts';

/** An empty database that exists for one check and is removed after it. */
export interface Throwaway {
  db: Db;
  /** An unprotected environment naming it, for the apply engine. */
  env: Environment;
  drop(): Promise<void>;
}

/** What the migrations about to run need from the database (an embedded one loads extensions only at start). */
export interface ThrowawayNeeds {
  extensions: string[];
}

export type ThrowawayFactory = { kind: 'server' | 'embedded'; create(needs?: ThrowawayNeeds): Promise<Throwaway> };

/** Extensions a script creates (`CREATE EXTENSION [IF NOT EXISTS] name`), lower-cased. */
export function extensionsCreatedBy(sql: string): string[] {
  return [...sql.matchAll(/\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"([^"]+)"|([\w-]+))/gi)].map((m) => (m[1] ?? m[2]!).toLowerCase());
}

/** PostgreSQL's contrib extensions PGlite ships (as @electric-sql/pglite/contrib/<name with _ for ->). */
const PGLITE_CONTRIB = new Set([
  'amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance', 'fuzzystrmatch',
  'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pg_trgm', 'pgcrypto', 'seg', 'tablefunc', 'tcn',
  'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp',
]);

const THROWAWAY_ENV = 'check-throwaway';

/** The URL of another database on the same server, every other setting kept. */
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * A fresh database on the server `url` points at (CREATE DATABASE godwit_check_<random>), dropped afterwards with
 * FORCE so a session left open cannot keep it alive. The role needs CREATEDB, as for Prisma's shadow database.
 */
export function serverThrowaway(url: string): ThrowawayFactory {
  return {
    kind: 'server',
    async create() {
      const name = `godwit_check_${randomBytes(6).toString('hex')}`;
      const admin = await connectPostgres({ url });
      try {
        await admin.exec(`CREATE DATABASE ${sqlIdentifier(name)}`);
      } catch (err) {
        throw new GodwitError(
          'throwaway-failed',
          `Cannot create a throwaway database on ${admin.display} for the reversibility check: ${describeError(err)}`,
          'The role needs CREATEDB; or run check without --url/--env to use an embedded database.',
        );
      } finally {
        await admin.close();
      }
      const throwawayUrl = withDatabase(url, name);
      const drop = async () => {
        const again = await connectPostgres({ url });
        try {
          await again.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(name)} WITH (FORCE)`);
        } finally {
          await again.close();
        }
      };
      let db: Db;
      try {
        db = await connectPostgres({ url: throwawayUrl });
        // Prisma's ?schema= names the schema migrations run in: it must exist, as Prisma makes sure it does.
        const schema = new URL(url).searchParams.get('schema');
        if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(schema)}`);
      } catch (err) {
        await drop().catch(() => undefined);
        throw err;
      }
      const env: Environment = { name: THROWAWAY_ENV, protected: false, display: db.display, target: { kind: 'postgres', url: throwawayUrl } };
      return {
        db,
        env,
        async drop() {
          await db.close();
          await drop();
        },
      };
    },
  };
}

/**
 * An in-memory PGlite with the contrib extensions the migrations create (PGlite has no others, e.g. PostGIS; a
 * migration creating one fails there and the check says so). The session mirrors db/connect-pglite.ts, which has no
 * way to pass extensions.
 */
async function connectPgliteWith(extensions: string[]): Promise<Db> {
  beforeWebAssembly();
  const { PGlite } = await import('@electric-sql/pglite');
  const wanted = [...new Set(extensions.map((e) => e.replace(/-/g, '_')))].filter((e) => PGLITE_CONTRIB.has(e));
  const loaded: Extensions = {};
  for (const name of wanted) loaded[name] = ((await import(`@electric-sql/pglite/contrib/${name}`)) as Extensions)[name]!;
  const pg: PGlite = await PGlite.create({ dataDir: 'memory://', extensions: loaded });
  return {
    kind: 'pglite',
    display: 'embedded throwaway database',
    query: async <R extends object>(sql: string, params?: unknown[]) => (await pg.query<R>(sql, params)).rows,
    exec: async (script: string) => {
      await pg.exec(script);
    },
    queryBatch: async (sql: string) => (await pg.exec(sql)).map((r) => r.rows as Record<string, unknown>[]),
    schemaEngineAdapter: () => {
      throw new GodwitError('not-available', 'The check\'s throwaway database does not run Prisma\'s schema engine.');
    },
    close: async () => {
      if (!pg.closed) await pg.close();
    },
  };
}

/** An in-memory PGlite: reversibility without any server. */
export function embeddedThrowaway(): ThrowawayFactory {
  return {
    kind: 'embedded',
    async create(needs) {
      const db = await connectPgliteWith(needs?.extensions ?? []);
      const env: Environment = { name: THROWAWAY_ENV, protected: false, display: db.display, target: { kind: 'embedded', name: THROWAWAY_ENV, dataDir: 'memory://' } };
      return { db, env, drop: () => db.close() };
    },
  };
}

/**
 * Where `check` makes its throwaway: on the server of the environment it compares with, except a protected one (a
 * check stays read-only there, and production roles rarely have CREATEDB): then, as without any, an embedded PGlite.
 */
export function throwawayFor(env: Environment | undefined): ThrowawayFactory {
  return env?.target.kind === 'postgres' && !env.protected ? serverThrowaway(env.target.url) : embeddedThrowaway();
}
