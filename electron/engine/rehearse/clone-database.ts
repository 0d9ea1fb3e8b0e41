import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { connectPostgres } from '../db/connect-postgres.ts';
import { connectPglite } from '../db/connect-pglite.ts';
import type { Environment } from '../project/environments.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { IN_DATABASE } from '../status/migration-state.ts';
import { sqlIdentifier } from '../history/history-table.ts';
import { GodwitError, describeError } from '../util/errors.ts';
import { dumpSchema } from './pg-dump-schema.ts';
import { copySample } from './copy-sample.ts';

export interface Clone {
  database: string;
  /** The session migrations run on, and a second one to watch it (none on PGlite, which has one session). */
  open(): Promise<{ runner: Db; observer: Db | null }>;
  schemaSource: 'pg_dump' | 'migrations';
  rowsCopied: number;
  note?: string | undefined;
  /** Ends every session on it and drops it (WITH FORCE); safe to call twice. */
  drop(): Promise<boolean>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function onClone<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await connectPostgres({ url });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Runs the migrations applied on the environment, in order, on `clone`: its schema as the history makes it. */
async function replayApplied(source: Db, env: Environment, folder: MigrationsFolder, clone: Db): Promise<void> {
  const status = await readEnvironmentStatus(source, env, folder);
  const local = new Map(folder.migrations.map((m) => [m.name, m]));
  for (const m of status.migrations) {
    const lm = local.get(m.name);
    if (IN_DATABASE.has(m.state) && lm) await clone.exec(lm.upSql);
  }
}

/**
 * An embedded environment's clone: an in-memory PGlite with the applied migrations replayed (PGlite has one
 * database and no pg_dump). No rows are copied.
 */
async function cloneEmbedded(source: Db, env: Environment, folder: MigrationsFolder, sample: number): Promise<Clone> {
  const db = await connectPglite('memory://', 'rehearsal clone (in memory)');
  let dropped = false;
  const drop = async () => {
    if (!dropped) await db.close();
    dropped = true;
    return true;
  };
  try {
    await replayApplied(source, env, folder, db);
  } catch (err) {
    await drop();
    throw new GodwitError('rehearse-clone-failed', `Cannot rebuild the schema of ${env.name} in memory: ${describeError(err)}`);
  }
  return {
    database: 'memory://', schemaSource: 'migrations', rowsCopied: 0, drop,
    note: `An embedded environment is rehearsed on an in-memory copy built from its applied migrations${sample > 0 ? '; no rows are copied' : ''}; PGlite has one session, so locks are read inside each migration's transaction only.`,
    open: async () => ({ runner: db, observer: null }),
  };
}

/**
 * A throwaway database on the environment's server with its schema: from pg_dump --schema-only when pg_dump works,
 * else by replaying the migrations applied there. With `sample`, up to that many rows per table are copied between
 * pg_dump's pre-data and post-data sections (rows whose foreign keys point outside the sample are left out).
 */
export async function cloneEnvironment(source: Db, env: Environment, folder: MigrationsFolder, sample: number): Promise<Clone> {
  if (env.target.kind !== 'postgres') return cloneEmbedded(source, env, folder, sample);
  const database = `godwit_rehearse_${randomBytes(6).toString('hex')}`;
  try {
    await source.exec(`CREATE DATABASE ${sqlIdentifier(database)}`);
  } catch (err) {
    const denied = (err as { code?: string }).code === '42501';
    throw new GodwitError(
      'rehearse-no-createdb',
      `Cannot create a throwaway database on ${source.display} for the rehearsal: ${describeError(err)}`,
      denied ? 'The role needs CREATEDB (ALTER ROLE … CREATEDB), as for Prisma\'s shadow database.' : undefined,
    );
  }
  let dropped = false;
  const drop = async () => {
    if (dropped) return true;
    await source.exec(`DROP DATABASE IF EXISTS ${sqlIdentifier(database)} WITH (FORCE)`);
    dropped = true;
    return true;
  };
  const url = withDatabase(env.target.url, database);
  try {
    const schema = new URL(env.target.url).searchParams.get('schema');
    let schemaSource: Clone['schemaSource'] = 'pg_dump';
    let note: string | undefined;
    let rowsCopied = 0;
    try {
      if (sample > 0) {
        const [pre, post] = await Promise.all([dumpSchema(env.target.url, 'pre-data'), dumpSchema(env.target.url, 'post-data')]);
        await onClone(url, (db) => db.exec(pre));
        rowsCopied = await onClone(url, (db) => copySample(source, db, sample));
        await onClone(url, (db) => db.exec(post));
      } else {
        const dump = await dumpSchema(env.target.url);
        await onClone(url, (db) => db.exec(dump));
      }
    } catch (err) {
      if (schemaSource !== 'pg_dump' || (err as { code?: string }).code) throw err; // a server error restoring: real
      // pg_dump missing or refusing (older than the server): the schema the applied migrations make instead.
      schemaSource = 'migrations';
      note = `pg_dump could not be used (${describeError(err)}); the schema was rebuilt by replaying the applied migrations, so changes made outside migrations are missing${sample > 0 ? ', and no rows were copied' : ''}.`;
      await onClone(url, async (db) => {
        if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(schema)}`);
        await replayApplied(source, env, folder, db);
      });
    }
    const open = async () => {
      const runner = await connectPostgres({ url });
      const observer = await connectPostgres({ url }).catch(() => null);
      return { runner, observer };
    };
    return { database, open, schemaSource, rowsCopied, note, drop };
  } catch (err) {
    await drop().catch(() => undefined);
    throw new GodwitError('rehearse-clone-failed', `Cannot copy the schema of ${env.name} into the throwaway database: ${describeError(err)}`);
  }
}
