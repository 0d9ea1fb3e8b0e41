import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connectPostgres } from '../db/connect-postgres.ts';
import type { Db } from '../db/db.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { refuseWhileBlocked, runPreflight } from './preflight.ts';
import { planOf, postgresEnv } from './testing/plan-of.ts';

let tdb: TestDatabase;
let db: Db;
const others: pg.Client[] = [];

async function otherSession(...sql: string[]): Promise<number> {
  const c = new pg.Client({ connectionString: tdb.url, application_name: 'reporting-job' });
  await c.connect();
  others.push(c);
  const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  for (const q of sql) await c.query(q);
  return pid;
}

beforeAll(() => loadSqlParser());
beforeEach(async () => {
  tdb = await createTestDatabase();
  db = await connectPostgres({ url: tdb.url });
  await db.exec(`
    CREATE TABLE users (id int PRIMARY KEY, email text, name text, age int, code text, short text);
    INSERT INTO users VALUES
      (1, 'a@x', 'A', 30, '12', 'abc'), (2, 'a@x', NULL, -1, 'x1', 'abcd'), (3, 'A@X', NULL, 5, NULL, 'ab'),
      (4, 'b@x', 'B', NULL, '7', 'abcde'), (5, 'b@x', NULL, -3, 'zz', NULL), (6, NULL, 'C', 1, '8', 'a'), (7, NULL, 'D', 2, '9', 'b');
    CREATE TABLE orders (id int PRIMARY KEY, user_id int, note text);
    INSERT INTO orders VALUES (1, 1, 'ok'), (2, 99, 'orphan'), (3, 98, 'orphan'), (4, 98, 'orphan'), (5, NULL, 'no user'), (6, 2, 'ok');
    CREATE TABLE tags (id int, user_id int);
    INSERT INTO tags VALUES (1, 1), (2, 50);
    ALTER TABLE tags ADD CONSTRAINT tags_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
  `);
});
afterEach(async () => {
  await Promise.all(others.splice(0).map((c) => c.end().catch(() => undefined)));
  await db.close();
  await tdb.drop();
});

describe('blockers', () => {
  it('names a session holding ACCESS SHARE in an open transaction (pid, age, query) and refuses the protected run', async () => {
    const pid = await otherSession('BEGIN', 'SELECT count(*) FROM users');
    const plan = planOf({ '1_add_token': 'ALTER TABLE users ADD COLUMN token float8 DEFAULT random();' });
    const report = await runPreflight(db, postgresEnv(tdb.url, true), plan, { blockersOnly: true });
    expect(report.blockers).toHaveLength(1);
    const b = report.blockers[0]!;
    expect(b).toMatchObject({ pid, application: 'reporting-job', state: 'idle in transaction', kinds: ['lock-conflict'] });
    expect(b.query).toBe('SELECT count(*) FROM users');
    expect(b.ageMs).toBeGreaterThanOrEqual(0);
    expect(b.conflicts).toEqual([{ relation: 'users', mode: 'AccessShareLock', granted: true, needed: 'AccessExclusiveLock', migration: '1_add_token', line: 1 }]);
    expect(report.clear).toBe(false);

    await expect(refuseWhileBlocked(db, postgresEnv(tdb.url, true), plan)).rejects.toThrow(new RegExp(`Refusing to upgrade prod: 1 session\\(s\\) stand in the way: pid ${pid} .*SELECT count\\(\\*\\) FROM users`));
    await expect(refuseWhileBlocked(db, postgresEnv(tdb.url, true), plan)).rejects.toMatchObject({ code: 'blockers-present' });
    expect(await refuseWhileBlocked(db, postgresEnv(tdb.url, true), plan, { ignoreBlockers: true })).toBeNull();
    expect(await refuseWhileBlocked(db, postgresEnv(tdb.url, false), plan)).toBeNull();
  });

  it('does not count a lock that does not conflict; flags idle-in-transaction and long transactions by threshold', async () => {
    const pid = await otherSession('BEGIN', 'SELECT count(*) FROM orders');
    // VALIDATE takes SHARE UPDATE EXCLUSIVE on tags (and ROW SHARE on users): an ACCESS SHARE reader does not conflict.
    const plan = planOf({ '1_validate': 'ALTER TABLE tags VALIDATE CONSTRAINT tags_user_fk;' });
    const quiet = await runPreflight(db, postgresEnv(tdb.url, true), plan, { blockersOnly: true });
    expect(quiet.blockers).toEqual([]);
    const strict = await runPreflight(db, postgresEnv(tdb.url, true), plan, { blockersOnly: true, idleInTransactionMs: 0 });
    expect(strict.blockers.map((b) => [b.pid, b.kinds])).toEqual([[pid, ['idle-in-transaction']]]);
    await others[0]!.query('SELECT pg_sleep(0)'); // still in its transaction, now active-then-idle again
    const long = await runPreflight(db, postgresEnv(tdb.url, true), plan, { blockersOnly: true, idleInTransactionMs: 3_600_000, longTransactionMs: 0 });
    expect(long.blockers.map((b) => [b.pid, b.kinds])).toEqual([[pid, ['long-transaction']]]);
  });

  it('names a pg_dump reading an affected table even when its lock does not conflict', async () => {
    const c = new pg.Client({ connectionString: tdb.url, application_name: 'pg_dump' });
    await c.connect();
    others.push(c);
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await c.query('LOCK TABLE users, orders IN ACCESS SHARE MODE');
    const plan = planOf({ '1': 'CREATE INDEX users_age_idx ON users (age);' });
    const report = await runPreflight(db, postgresEnv(tdb.url, true), plan, { blockersOnly: true });
    expect(report.blockers.map((b) => [b.pid, b.kinds, b.reason])).toEqual([[pid, ['pg_dump'], 'is a pg_dump reading affected tables']]);
  });

  it('names a session waiting for a conflicting lock too', async () => {
    const holder = await otherSession('BEGIN', 'LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    others.push(c);
    const waiterPid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const waiting = c.query('SELECT count(*) FROM orders').catch(() => undefined);
    for (let i = 0; i < 200; i++) {
      const [row] = await db.query<{ w: boolean }>("SELECT wait_event_type = 'Lock' AS w FROM pg_stat_activity WHERE pid = $1", [waiterPid]);
      if (row?.w) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    // A waiting ACCESS SHARE conflicts with ACCESS EXCLUSIVE (the ALTER would queue behind it), not with SHARE.
    const plan = planOf({ '1_col': 'ALTER TABLE orders ADD COLUMN r float8 DEFAULT random();' });
    const report = await runPreflight(db, postgresEnv(tdb.url, true), plan, { blockersOnly: true });
    const byPid = new Map(report.blockers.map((b) => [b.pid, b]));
    expect(byPid.get(holder)!.conflicts[0]).toMatchObject({ relation: 'orders', mode: 'AccessExclusiveLock', granted: true, needed: 'AccessExclusiveLock' });
    expect(byPid.get(waiterPid)!.conflicts[0]).toMatchObject({ relation: 'orders', mode: 'AccessShareLock', granted: false, needed: 'AccessExclusiveLock' });
    const index = await runPreflight(db, postgresEnv(tdb.url, true), planOf({ '1_idx': 'CREATE INDEX orders_note_idx ON orders (note);' }), { blockersOnly: true });
    expect(index.blockers.map((b) => b.pid)).toEqual([holder]);
    await others[0]!.query('ROLLBACK');
    await waiting;
  });
});

describe('data checks', () => {
  const checksOf = async (sql: Record<string, string>) => (await runPreflight(db, postgresEnv(tdb.url, false), planOf(sql))).dataChecks;

  it('counts NULLs, duplicate groups with sample keys, orphans, CHECK violations and values that do not cast', async () => {
    const checks = await checksOf({
      '1_constraints': `
ALTER TABLE users ALTER COLUMN name SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email)) WHERE id > 1;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE users ADD CONSTRAINT users_age_positive CHECK (age > 0);
ALTER TABLE users ALTER COLUMN code TYPE int USING code::int;
ALTER TABLE users ALTER COLUMN short TYPE varchar(3);
ALTER TABLE tags VALIDATE CONSTRAINT tags_user_fk;
ALTER TABLE orders ADD COLUMN qty int NOT NULL;`,
    });
    const summary = checks.map((c) => ({ kind: c.kind, table: c.table, status: c.status, count: c.count, rows: c.rows, samples: c.samples }));
    expect(summary).toEqual([
      { kind: 'not-null', table: 'users', status: 'violations', count: 3, rows: undefined, samples: expect.any(Array) },
      { kind: 'unique', table: 'users', status: 'violations', count: 2, rows: 4, samples: ['["a@x"]', '["b@x"]'] },
      // lower(email) over ids 2..7: a@x, a@x (A@X), b@x, b@x → 2 groups, 4 rows.
      { kind: 'unique', table: 'users', status: 'violations', count: 2, rows: 4, samples: ['["a@x"]', '["b@x"]'] },
      { kind: 'foreign-key', table: 'orders', status: 'violations', count: 3, rows: undefined, samples: ['[98]', '[99]'] },
      { kind: 'check', table: 'users', status: 'violations', count: 2, rows: undefined, samples: expect.any(Array) },
      { kind: 'type-cast', table: 'users', status: 'violations', count: 2, rows: undefined, samples: ['x1', 'zz'] },
      { kind: 'type-cast', table: 'users', status: 'violations', count: 2, rows: undefined, samples: ['abcd', 'abcde'] },
      { kind: 'foreign-key', table: 'tags', status: 'violations', count: 1, rows: undefined, samples: ['[50]'] },
      { kind: 'not-null', table: 'orders', status: 'violations', count: 6, rows: undefined, samples: expect.any(Array) },
    ]);
    expect(checks[0]!.samples).toHaveLength(3);
    // A sample shows the row's primary key and the checked columns, never the whole row (its e-mail address).
    expect(checks[0]!.samples).toEqual(['{"id": 2, "name": null}', '{"id": 3, "name": null}', '{"id": 5, "name": null}']);
    expect(checks[4]!.samples).toEqual(['{"id": 2}', '{"id": 5}']);
    expect(checks[8]!.samples.map((r) => Object.keys(JSON.parse(r) as object))).toEqual([['id'], ['id'], ['id'], ['id'], ['id']]);
    expect(checks[0]!.detail).toBe('3 row(s) of users have NULL in name.');
    expect(checks[3]!.detail).toBe('3 row(s) of orders reference no row of users (orphans).');
  });

  it('skips, not fails, a check on an enum value an earlier migration of the batch adds (civitai)', async () => {
    await db.exec(`CREATE TYPE cmode AS ENUM ('Own'); CREATE TABLE coll (id int PRIMARY KEY, user_id int, mode cmode); INSERT INTO coll VALUES (1, 1, 'Own')`);
    const checks = await checksOf({ '1_mode': `ALTER TYPE cmode ADD VALUE 'Bookmark';`, '2_unique': `CREATE UNIQUE INDEX coll_bookmark ON coll (user_id) WHERE mode = 'Bookmark';` });
    expect(checks.map((c) => [c.kind, c.status])).toEqual([['unique', 'skipped']]);
    expect(checks[0]!.detail).toMatch(/^Skipped: it refers to something the database does not have yet \(invalid input value for enum cmode: "Bookmark"\): an enum value an earlier migration adds\.$/);
    await db.exec('DROP TABLE coll; DROP TYPE cmode');
  });

  it('skips checks on names a RENAME earlier in the batch gives, and says why', async () => {
    const checks = await checksOf({ '1': 'ALTER TABLE users RENAME TO people;\nALTER TABLE people ALTER COLUMN name SET NOT NULL;\nALTER TABLE orders RENAME COLUMN note TO memo;\nALTER TABLE orders ALTER COLUMN memo SET NOT NULL;' });
    expect(checks.map((c) => [c.status, c.detail])).toEqual([
      ['skipped', 'Skipped: people is the new name a RENAME earlier in this batch gives; the database does not know it yet.'],
      ['skipped', 'Skipped: column memo is the new name a RENAME earlier in this batch gives.'],
    ]);
  });

  it('skips checks on rows the batch changes first, and casts to a type the batch creates, and says why', async () => {
    const checks = await checksOf({
      '1_dedupe': `WITH keep AS (SELECT min(id) AS id FROM users GROUP BY email)
DELETE FROM users WHERE id NOT IN (SELECT id FROM keep);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);`,
      '2_enum': `CREATE TYPE "Size_new" AS ENUM ('s', 'm');
ALTER TABLE orders ALTER COLUMN note TYPE "Size_new" USING (CASE WHEN note = 'ok' THEN 's' ELSE 'm' END)::"Size_new";`,
    });
    expect(checks.map((c) => [c.kind, c.status, c.detail])).toEqual([
      ['unique', 'skipped', "Skipped: DELETE at line 1 of 1_dedupe changes the rows of users first: today's rows are not the ones this statement will meet."],
      ['type-cast', 'skipped', 'Skipped: type "Size_new" is created by this batch; the database does not know it yet.'],
    ]);
  });

  it('names each NOT NULL column a statement adds without a default, and marks a sample it cut short (inbox-zero)', async () => {
    const checks = await checksOf({ '1_tax': 'ALTER TABLE orders ADD COLUMN tax INTEGER NOT NULL, ADD COLUMN "taxInclusive" BOOLEAN NOT NULL;' });
    expect(checks.map((c) => [c.kind, c.columns, c.count, c.detail])).toEqual([
      ['not-null', ['tax'], 6, '6 existing row(s) in orders: the NOT NULL column tax without a default fails on them.'],
      ['not-null', ['taxInclusive'], 6, '6 existing row(s) in orders: the NOT NULL column taxInclusive without a default fails on them.'],
    ]);
    // A sample shows the row's key: a long one is cut, and says so.
    const wide = await checksOf({ '1_wide': `ALTER TABLE orders ADD COLUMN note2 TEXT NOT NULL;` });
    await db.exec(`CREATE TABLE long_keys (k text PRIMARY KEY); INSERT INTO long_keys SELECT g || repeat('x', 200) FROM generate_series(1, 3) g`);
    const cut = await checksOf({ '1_wide': `ALTER TABLE long_keys ADD COLUMN note2 TEXT NOT NULL;` });
    expect(wide[0]!.samples.every((x) => !x.endsWith('…'))).toBe(true);
    expect(cut[0]!.samples.length).toBe(3);
    expect(cut[0]!.samples.every((x) => x.length === 120 && x.startsWith('{"k": "') && x.endsWith('…'))).toBe(true);
    await db.exec(`DROP TABLE long_keys`);
  });

  it("checks the values against the labels of an enum the batch re-creates to remove values (Prisma's template: formbricks)", async () => {
    const checks = await checksOf({
      '1_enum': `CREATE TYPE "Size_new" AS ENUM ('ok', 'orphan');
ALTER TABLE orders ALTER COLUMN note TYPE "Size_new" USING ("note"::text::"Size_new");`,
    });
    expect(checks.map((c) => [c.kind, c.status, c.count, c.detail])).toEqual([
      ['type-cast', 'violations', 1, '1 row(s) of orders hold a value of note that "Size_new" no longer has: the conversion fails on them.'],
    ]);
    expect(checks[0]!.samples[0]).toContain('no user');
  });

  it('reports clean data as ok, and skips tables and columns the batch creates', async () => {
    const checks = await checksOf({
      '1_clean': `
ALTER TABLE users ALTER COLUMN id SET NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_id_key UNIQUE (id);
CREATE TABLE invoices (id int, order_id int);
ALTER TABLE invoices ADD CONSTRAINT invoices_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE invoices ALTER COLUMN order_id SET NOT NULL;`,
      '2_later': `
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_note_check CHECK (note <> '') NOT VALID;`,
    });
    expect(checks.map((c) => [c.migration, c.kind, c.status, c.count])).toEqual([
      ['1_clean', 'not-null', 'ok', 0],
      ['1_clean', 'unique', 'ok', 0],
      ['1_clean', 'foreign-key', 'skipped', null],
      ['1_clean', 'not-null', 'skipped', null],
      ['2_later', 'not-null', 'skipped', null],
    ]);
    expect(checks[2]!.detail).toBe('Skipped: invoices is created by this batch: it has no rows yet.');
    expect(checks[4]!.detail).toBe('Skipped: column nickname is added by this batch.');
  });

  it('runs every check read-only and bounded: a check that cannot finish reports a timeout, not a hang', async () => {
    await db.exec('INSERT INTO users SELECT g, NULL, NULL, 1, NULL, NULL FROM generate_series(100, 200000) g');
    const report = await runPreflight(db, postgresEnv(tdb.url, false), planOf({ '1': 'ALTER TABLE users ALTER COLUMN short TYPE varchar(3) USING short || pg_sleep(0.001)::text;' }), { checkTimeoutMs: 50 });
    expect(report.dataChecks.map((c) => c.status)).toEqual(['timeout']);
    // The session is usable and not left in a transaction.
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const [tx] = await db.query<{ s: string }>("SELECT current_setting('transaction_read_only') AS s");
    expect(tx!.s).toBe('off');
  });
});

describe('on an embedded database (PGlite)', () => {
  it('has no blockers to find, and runs the data checks the same way', async () => {
    const { connectPglite } = await import('../db/connect-pglite.ts');
    const lite = await connectPglite('memory://', 'embedded test');
    try {
      await lite.exec("CREATE TABLE t (id int, v text); INSERT INTO t VALUES (1, NULL), (2, 'x'), (2, NULL), (3, '12')");
      const env = { name: 'dev', protected: true, display: 'embedded', target: { kind: 'embedded' as const, name: 'dev', dataDir: 'memory://' } };
      const report = await runPreflight(lite, env, planOf({ '1': 'ALTER TABLE t ALTER COLUMN v SET NOT NULL;\nALTER TABLE t ADD PRIMARY KEY (id);\nALTER TABLE t ALTER COLUMN v TYPE int USING v::int;' }));
      expect(report.blockers).toEqual([]);
      expect(report.note).toMatch(/one session/);
      expect(report.dataChecks.map((c) => [c.kind, c.count])).toEqual([['not-null', 2], ['not-null', 0], ['unique', 1], ['type-cast', 1]]);
      expect(await refuseWhileBlocked(lite, env, planOf({ '1': 'ALTER TABLE t ADD COLUMN w int;' }))).toMatchObject({ blockers: [] });
    } finally {
      await lite.close();
    }
  });
});
