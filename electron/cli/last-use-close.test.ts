import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGodwit } from './testing/run-cli.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { startSlowCloseProxy, type SlowCloseProxy } from '../engine/db/testing/slow-close-proxy.ts';

// Read-only commands end as psql does: the session is closed without waiting for the server to close its end.
describe('read-only commands do not wait for the server to close the session', () => {
  const HOLD_MS = 5000;
  let db: TestDatabase;
  let proxy: SlowCloseProxy;
  beforeAll(async () => {
    db = await createTestDatabase();
    await sqlOn(db.url, 'CREATE TABLE "Thing" (id int PRIMARY KEY, name text)');
    proxy = await startSlowCloseProxy(db.url, HOLD_MS);
  });
  afterAll(async () => {
    await proxy?.close();
    await db?.drop();
  });

  it('tables, describe and status finish, complete, long before the server\'s end of the connection closes', async () => {
    const url = proxy.through(db.url);
    const tables = await runGodwit(['--url', url, 'tables']);
    expect(tables.stderr).toBe('');
    expect(tables.stdout).toContain('Thing');
    expect(tables.stdout).toContain('(1 row)');
    const describe = await runGodwit(['--url', url, 'describe', '"Thing"']);
    expect(describe.stderr).toBe('');
    expect(describe.stdout).toContain('"Thing_pkey" PRIMARY KEY, btree (id)');
    const status = await runGodwit(['--url', url, 'status']);
    expect(status.code).toBe(1); // the demo's migrations are pending
    for (const run of [tables, describe, status]) expect(run.ms).toBeLessThan(HOLD_MS - 1000);
    // …and the sessions did end on the server.
    let left = -1;
    for (let i = 0; i < 100 && left !== 0; i++) {
      left = (await sqlOn(db.url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'godwit'")).length;
      if (left) await new Promise((r) => setTimeout(r, 20));
    }
    expect(left).toBe(0);
  }, 60_000);

  // tables and describe exit once their output is flushed (start.ts, exitWhenDone): all of it, through a pipe.
  it('a long listing and a wide table arrive whole through a pipe before the process exits', async () => {
    await sqlOn(db.url, `DO $$ BEGIN FOR i IN 1..3000 LOOP EXECUTE format('CREATE TABLE %I (id int)', 'many_' || i); END LOOP; END $$`);
    await sqlOn(db.url, `CREATE TABLE wide (${Array.from({ length: 1500 }, (_, i) => `column_${i} text`).join(', ')})`);
    const tables = await runGodwit(['--url', db.url, 'tables']);
    expect(tables.stderr).toBe('');
    expect(tables.stdout.split('\n').filter((l) => l.startsWith(' public | many_'))).toHaveLength(3000);
    expect(tables.stdout.endsWith('(3002 rows)\n\n')).toBe(true);
    const describe = await runGodwit(['--url', db.url, 'describe', 'wide']);
    expect(describe.stderr).toBe('');
    expect(describe.stdout).toContain(' column_1499 | text |');
    expect(describe.stdout.length).toBeGreaterThan(1500 * 40);
  }, 60_000);
});
