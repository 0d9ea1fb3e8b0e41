import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectPostgres } from '../db/connect-postgres.ts';
import { loadSqlParser, splitStatements } from '../sql/split-statements.ts';
import { nonTransactionalReason } from '../sql/analyze-statement.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { analyzeScripts } from './analyze-plan.ts';
import { FIXTURE_MIGRATION, FIXTURE_SETUP } from './testing/lock-fixture.ts';
import { observeInTransaction, observeWhileWaiting, type Observation } from './testing/observe-locks.ts';
import type { StatementAnalysis } from './types.ts';

let db: TestDatabase;

beforeAll(async () => {
  await loadSqlParser();
  db = await createTestDatabase();
  const c = new pg.Client(db.url);
  await c.connect();
  await c.query(FIXTURE_SETUP);
  await c.end();
});

afterAll(async () => {
  await db?.drop();
});

/** The prediction in the observation's shape: relation → mode (the fixture's relations are all in `public`). */
const predicted = (a: StatementAnalysis): Observation => ({
  locks: Object.fromEntries(a.locks.map((l) => [l.relation.replace(/^public\./, ''), l.mode])),
  rewrite: a.rewrite,
});

describe('lock and rewrite prediction against PostgreSQL', () => {
  it('predicts, for every statement of the fixture, the locks pg_locks shows and the rewrite relfilenode shows', async () => {
    const { statements, parseError } = splitStatements(FIXTURE_MIGRATION);
    expect(parseError).toBeNull();
    expect(statements.length).toBeGreaterThanOrEqual(30);
    // The prediction reads the environment (catalog and statistics) once, before anything runs, as `godwit sql` does.
    const conn = await connectPostgres({ url: db.url });
    const analysis = await analyzeScripts([{ name: 'fixture', file: 'migration.sql', statements }], { db: conn }).finally(() => conn.close());
    expect(analysis.serverVersion).toBeGreaterThanOrEqual(11);

    const client = new pg.Client(db.url);
    await client.connect();
    const expected: (Observation & { statement: string })[] = [];
    const observed: (Observation & { statement: string })[] = [];
    try {
      for (const [i, stmt] of statements.entries()) {
        const prediction = predicted(analysis.migrations[0]!.statements[i]!);
        const named = new Set(Object.keys(prediction.locks));
        const seen = nonTransactionalReason(stmt.node)
          ? await observeWhileWaiting(db.url, stmt.text, 'orders', named)
          : await observeInTransaction(client, stmt.text, named);
        expected.push({ statement: stmt.text, ...prediction });
        observed.push({ statement: stmt.text, ...seen });
      }
    } finally {
      await client.end();
    }
    if (process.env.GODWIT_SHOW_LOCKS) console.log(JSON.stringify(observed, null, 1));
    // Every statement of the fixture locks something or rewrites, except ALTER TYPE … ADD VALUE (no relation lock).
    expect(observed.filter((o) => Object.keys(o.locks).length === 0).map((o) => o.statement)).toEqual(["ALTER TYPE mood ADD VALUE 'calm'"]);
    expect(observed).toEqual(expected);
  });
});
