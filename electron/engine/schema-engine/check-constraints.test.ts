import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigration, environmentStatus, generateDownSql, upgrade, withEnvironment, type Environment } from '../index.ts';
import { createTestDatabase, databasesLike, type TestDatabase } from '../testing/test-database.ts';
import { CHECK_MIGRATIONS, checkProject, pgliteEnv, postgresEnv } from './testing/check-project.ts';
import { SHADOW_PREFIX } from './pg-adapter-factory.ts';

const OURS = `${SHADOW_PREFIX}${process.pid}_`;
const [FIRST, SECOND] = CHECK_MIGRATIONS.map(([name]) => name) as [string, string];

/**
 * The schema engine's describer reads pg_constraint.contype as a one-byte char: with the field typed as text, any
 * CHECK constraint made it panic. Drift, down-sql and new must work on such a schema.
 */
async function runsOnChecks(env: Environment): Promise<void> {
  const project = await checkProject();
  try {
    const open = await project.open();
    await withEnvironment(env, async (db) => {
      await upgrade({ db, env, folder: open.folder }, {});
      const status = await environmentStatus(open, env, db, { drift: true });
      expect(status.summary.applied).toBe(2);
      expect(status.drift).not.toBeNull();

      expect((await generateDownSql(db, open.project, open.folder, FIRST)).sql).toMatch(/DROP TABLE "(public"\.")?A"/);
      await expect(generateDownSql(db, open.project, open.folder, SECOND)).resolves.toBeDefined();

      const created = await createMigration(db, open.project, open.folder, 'add_b', { write: false });
      expect(created?.upSql).toContain('CREATE TABLE "B"');
      expect(created?.downSql).toMatch(/DROP TABLE "(public"\.")?B"/);
    });
  } finally {
    await project.remove();
  }
}

describe('CHECK constraints (valid and NOT VALID) with the schema engine', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('on PostgreSQL: drift, down-sql and new work, and no shadow database is left', async () => {
    const before = await databasesLike(OURS);
    await runsOnChecks(postgresEnv(db.url));
    expect(await databasesLike(OURS)).toEqual(before);
  });

  // Each engine call starts in-memory PGlite shadows (~4 s each, more on a loaded machine).
  it('on PGlite: drift, down-sql and new work', async () => {
    await runsOnChecks(pgliteEnv());
  }, 300_000);
});
