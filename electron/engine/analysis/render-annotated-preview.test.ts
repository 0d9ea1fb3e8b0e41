import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzePlan, environmentStatus, openProject, planFor, upgrade } from '../index.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { schemaDump } from '../testing/pg-dump.ts';
import { createTestDatabase, sqlOn } from '../testing/test-database.ts';
import { renderAnnotatedPreview } from './render-annotated-preview.ts';

const current = useDatabaseAndProject({ beforeEach, afterEach });

/** Statements sharing a line, a dollar-quoted body with `;` and `--` inside, comments, no final semicolon. */
const TRICKY = `-- keep this comment
ALTER TABLE "users" ADD COLUMN "nick" TEXT DEFAULT 'x'; ALTER TABLE "users" ADD COLUMN "uid" UUID DEFAULT gen_random_uuid();
  CREATE FUNCTION f_semicolon() RETURNS text LANGUAGE sql AS $$ SELECT 'a;
-- not a comment' $$;
/* block */ UPDATE "users" SET "nick" = 'y'`;

describe('godwit sql text preview with the analysis as comments', () => {
  it('shows each statement’s locks above it and stays a script psql runs exactly as godwit up would', async () => {
    const { db, project } = current();
    await onEnv((await projectOn(project.dir, db.url)).env, async (conn) => {
      const { open, env } = await projectOn(project.dir, db.url);
      await upgrade({ db: conn, env, folder: open.folder }, {});
    });
    await addMigration(project.dir, '20990101000000_tricky', TRICKY);
    await addMigration(project.dir, '20990102000000_concurrent_index', 'CREATE INDEX CONCURRENTLY "users_nick_idx" ON "users" ("nick");\n');
    const { open, env } = await projectOn(project.dir, db.url);
    const sql = await onEnv(env, async (conn) => {
      const plan = await planFor(open, env, conn, { direction: 'up' });
      return renderAnnotatedPreview(plan, await analyzePlan(plan, { db: conn }));
    });
    const lines = sql.split('\n');
    const above = (statementStart: string) => lines[lines.findIndex((l) => l.startsWith(statementStart)) - 1];
    expect(above('ALTER TABLE "users" ADD COLUMN "uid"')).toMatch(/^-- {3}advice: /);
    expect(sql).toMatch(/-- locks: users AccessExclusiveLock \((~\d+ rows|rows unknown), [^)]*\) \| rewrite: yes \| scan: no \| risk: \w+/);
    expect(above('CREATE INDEX CONCURRENTLY')).toMatch(/^-- {3}(warning|advice): /);
    expect(sql).toContain('-- locks: users ShareUpdateExclusiveLock');

    // Piped into psql on a twin database, it leaves the schema godwit up leaves, and histories Godwit reads as clean.
    const twin = await createTestDatabase();
    try {
      const { env: twinEnv } = await projectOn(project.dir, twin.url);
      await onEnv(twinEnv, async (conn) => upgrade({ db: conn, env: twinEnv, folder: (await openProject(project.dir)).folder }, { to: '20250419090000_rename_booking_topic_to_subject' }));
      // From a file, as a user would run it: psql sends statement by statement, so CONCURRENTLY runs outside a transaction.
      const file = join(project.dir, 'preview.sql');
      await writeFile(file, sql);
      await promisify(execFile)('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', twin.url, '-f', file]);
      await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
      expect(await schemaDump(twin.url)).toBe(await schemaDump(db.url));
      const status = await onEnv(twinEnv, (conn) => environmentStatus(open, twinEnv, conn));
      expect(status.summary).toMatchObject({ pending: 0, failed: 0, edited: 0 });
    } finally {
      await twin.drop();
    }
  });

  it('with backups and restores woven in, up and down previews piped into psql do what godwit up and down do', async () => {
    const { db, project } = current();
    await addMigration(project.dir, '20990101000000_people', `CREATE TABLE "people" ("id" INT PRIMARY KEY, "code" TEXT NOT NULL, "n" INT);
INSERT INTO "people" SELECT g, 'c' || g, g FROM generate_series(1, 50) g;`, 'DROP TABLE "people";');
    await addMigration(project.dir, '20990102000000_prune', `-- AlterTable
ALTER TABLE "people" DROP COLUMN "code";
DELETE FROM "people" WHERE "n" > 40 -- the old ones
;`, '-- AlterTable\nALTER TABLE "people" ADD COLUMN "code" TEXT NOT NULL;\n');
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to: '20990101000000_people' }));
    const before = await sqlOn(db.url, 'SELECT * FROM "people" ORDER BY id');
    const preview = (direction: 'up' | 'down') => onEnv(env, async (conn) => {
      const plan = await planFor(open, env, conn, direction === 'up' ? { direction } : { direction, steps: 1 });
      return renderAnnotatedPreview(plan, await analyzePlan(plan, { db: conn }));
    });
    const psql = async (sql: string) => {
      const file = join(project.dir, 'preview.sql');
      await writeFile(file, sql);
      await promisify(execFile)('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', file]);
    };
    await psql(await preview('up'));
    expect(await sqlOn(db.url, 'SELECT count(*)::int AS n FROM "people"')).toEqual([{ n: 40 }]);
    expect(await sqlOn(db.url, 'SELECT count(*)::int AS n FROM godwit.backups')).toEqual([{ n: 2 }]);
    await psql(await preview('down'));
    expect(await sqlOn(db.url, 'SELECT * FROM "people" ORDER BY id')).toEqual(before);
  });
});
