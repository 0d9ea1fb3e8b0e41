import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigration, environmentStatus, generateDownSql, upgrade, withEnvironment, type Environment } from '../index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { addMigration } from '../testing/fixtures.ts';
import { checkProject, pgliteEnv, postgresEnv } from './testing/check-project.ts';

const INDEXES = '20250103000000_indexes_concurrently';

/**
 * A migration of two CREATE INDEX CONCURRENTLY statements (civitai has four such): `up` runs it statement by
 * statement; a shadow replay that sent it whole, one implicit transaction, failed ("cannot run inside a transaction
 * block") and took every drift check, down-sql and new after it down.
 */
async function replaysConcurrently(env: Environment, shadowCache: boolean): Promise<void> {
  const project = await checkProject();
  const setting = process.env.GODWIT_SHADOW_CACHE;
  if (!shadowCache) process.env.GODWIT_SHADOW_CACHE = 'off';
  try {
    await addMigration(`${project.dir}/prisma`, INDEXES, 'CREATE INDEX CONCURRENTLY "A_x_idx" ON "A"("x");\nCREATE INDEX CONCURRENTLY "A_x_id_idx" ON "A"("x", "id");\n');
    const open = await project.open();
    await withEnvironment(env, async (db) => {
      await upgrade({ db, env, folder: open.folder }, {});
      const status = await environmentStatus(open, env, db, { drift: true });
      expect(status.summary.applied).toBe(3);
      expect(status.drift).toMatchObject({ drifted: false, reconcileSql: null });
      const down = (await generateDownSql(db, open.project, open.folder, INDEXES, { shadowCache })).sql;
      expect(down.match(/^DROP INDEX CONCURRENTLY "(public"\.")?A_x(_id)?_idx";$/gm)).toHaveLength(2);
      const created = await createMigration(db, open.project, open.folder, 'add_b', { write: false, shadowCache });
      expect(created?.upSql).toContain('CREATE TABLE "B"');
    });
  } finally {
    if (setting === undefined) delete process.env.GODWIT_SHADOW_CACHE;
    else process.env.GODWIT_SHADOW_CACHE = setting;
    await project.remove();
  }
}

describe('a migration of several statements that must run outside a transaction, replayed on shadows', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('on PostgreSQL, through the shadow cache (built, then served)', async () => {
    await replaysConcurrently(postgresEnv(db.url), true);
  });

  it('on PostgreSQL without the cache', async () => {
    await replaysConcurrently(postgresEnv(db.url), false);
  });

  it('on PGlite', async () => {
    await replaysConcurrently(pgliteEnv(), false);
  }, 300_000);
});
