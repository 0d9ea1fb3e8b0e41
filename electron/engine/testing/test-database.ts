import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests run against; scripts/test.mjs sets it (or finds 127.0.0.1:5432). */
export function testServerUrl(): string {
  return process.env.GODWIT_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test; `drop()` removes it (with FORCE, so a leaked session cannot block it). */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'godwit_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(testServerUrl(), name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs SQL on a test database with a plain pg client (the tests' independent view of the database). */
export async function sqlOn<R extends object = Record<string, unknown>>(url: string, sql: string, params?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Databases whose names start with `prefix`, e.g. leftover shadow databases. */
export async function databasesLike(prefix: string): Promise<string[]> {
  const rows = await admin((c) => c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]));
  return rows.rows.map((r) => r.datname);
}
