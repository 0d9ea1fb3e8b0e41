import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientConfigFromUrl, connectPostgres } from './connect-postgres.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { startSlowCloseProxy } from './testing/slow-close-proxy.ts';

describe('connectPostgres', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('honours Prisma\'s ?schema= parameter through the search path', async () => {
    await sqlOn(db.url, 'CREATE SCHEMA app');
    const conn = await connectPostgres({ url: `${db.url}?schema=app` });
    try {
      await conn.exec('CREATE TABLE t (id int)');
      expect(await conn.query('SELECT current_schema() AS s')).toEqual([{ s: 'app' }]);
    } finally {
      await conn.close();
    }
    expect(await sqlOn(db.url, "SELECT schemaname FROM pg_tables WHERE tablename = 't'")).toEqual([{ schemaname: 'app' }]);
  });

  it('shows where it connects without the password', async () => {
    const url = db.url.replace('postgres@', 'postgres:sekret@');
    const conn = await connectPostgres({ url });
    try {
      expect(conn.display).not.toContain('sekret');
      expect(conn.display).toContain(db.name);
    } finally {
      await conn.close();
    }
  });

  it('close() waits for the server to close the session; close({ wait: false }) says goodbye and returns', async () => {
    const proxy = await startSlowCloseProxy(db.url, 1500);
    const timedClose = async (options?: { wait: boolean }) => {
      const conn = await connectPostgres({ url: proxy.through(db.url) });
      const [row] = await conn.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const started = performance.now();
      await conn.close(options);
      return { pid: row!.pid, ms: performance.now() - started };
    };
    try {
      expect((await timedClose()).ms).toBeGreaterThan(1400);
      const quick = await timedClose({ wait: false });
      expect(quick.ms).toBeLessThan(1000);
      // The session still ends on the server: the goodbye was sent.
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        alive = (await sqlOn(db.url, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [quick.pid])).length > 0;
        if (alive) await new Promise((r) => setTimeout(r, 20));
      }
      expect(alive).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('refuses URLs that are not PostgreSQL URLs', () => {
    expect(() => clientConfigFromUrl('mysql://a:b@c/d')).toThrow(/Cannot parse the database URL mysql:\/\/a@c\/d/);
    expect(() => clientConfigFromUrl('not a url')).toThrow(/Cannot parse/);
  });
});
