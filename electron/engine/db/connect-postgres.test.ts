import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientConfigFromUrl, connectPostgres } from './connect-postgres.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';

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

  it('refuses URLs that are not PostgreSQL URLs', () => {
    expect(() => clientConfigFromUrl('mysql://a:b@c/d')).toThrow(/Cannot parse the database URL mysql:\/\/a@c\/d/);
    expect(() => clientConfigFromUrl('not a url')).toThrow(/Cannot parse/);
  });
});
