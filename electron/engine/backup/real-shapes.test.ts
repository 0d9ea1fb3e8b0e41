import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationFailedError, previewSql, rollback, upgrade, type Db } from '../index.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn, type TestDatabase } from '../testing/test-database.ts';
import type { TempProject } from '../testing/temp-project.ts';

// Shapes found in real Prisma histories (documenso, trigger.dev) that the first backups broke: each must go up and
// come back down with every value where it was.
const fresh = useDatabaseAndProject({ beforeEach, afterEach });
let db: TestDatabase;
let project: TempProject;
beforeEach(() => {
  ({ db, project } = fresh());
});

const SEED = '20990101000000_seed';

/** The demo, then `seed` (applied, then `data` inserted), then `steps` [name, up, down] pending. */
async function history(seed: string, data: string, steps: [string, string, string][]) {
  await addMigration(project.dir, SEED, seed, 'SELECT 1;');
  for (const [name, up, down] of steps) await addMigration(project.dir, name, up, down);
  const ctx = await projectOn(project.dir, db.url);
  const run = (fn: (db: Db) => Promise<unknown>) => onEnv(ctx.env, fn);
  await run((conn) => upgrade({ db: conn, env: ctx.env, folder: ctx.open.folder }, { to: SEED }));
  await sqlOn(db.url, data);
  return {
    up: () => run((conn) => upgrade({ db: conn, env: ctx.env, folder: ctx.open.folder }, {})),
    downToSeed: () => run((conn) => rollback({ db: conn, env: ctx.env, folder: ctx.open.folder }, { to: SEED })),
  };
}

const rows = (sql: string) => sqlOn(db.url, sql);
const backupTables = () => rows(`SELECT relname::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'godwit' AND relname LIKE 'bk\\_%'`);

describe('backups on the shapes of real histories', () => {
  it('a dropped enum column and its type (DROP TYPE in the same migration, or later): the copy keeps no type alive', async () => {
    const h = await history(
      `CREATE TYPE "Status" AS ENUM ('A', 'B'); CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'OLD');
       CREATE TABLE "Item" ("id" SERIAL PRIMARY KEY, "status" "Status", "roles" "Role"[], "role" "Role" NOT NULL DEFAULT 'USER');`,
      `INSERT INTO "Item" ("status", "roles", "role") SELECT CASE WHEN g % 2 = 0 THEN 'A' ELSE 'B' END::"Status", ARRAY['USER', 'ADMIN']::"Role"[], 'ADMIN' FROM generate_series(1, 20) g;`,
      [
        ['20990102000000_touch_role', `UPDATE "Item" SET "role" = 'USER' WHERE "id" <= 5;`, 'SELECT 1;'],
        ['20990103000000_drop_status', 'ALTER TABLE "Item" DROP COLUMN "status";\nDROP TYPE "Status";', `CREATE TYPE "Status" AS ENUM ('A', 'B');\nALTER TABLE "Item" ADD COLUMN "status" "Status";`],
        // Prisma's way of removing an enum value, after a backup of rows holding that enum.
        ['20990104000000_drop_role_value', `BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "Item" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "Item" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TABLE "Item" ALTER COLUMN "roles" TYPE "Role_new"[] USING ("roles"::text::"Role_new"[]);
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "Item" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;`, 'SELECT 1;'],
      ],
    );
    const before = await rows('SELECT id, status::text, roles::text, role::text FROM "Item" ORDER BY id');
    await h.up();
    expect(await rows(`SELECT to_regtype('"Status"')::text AS t`)).toEqual([{ t: null }]);
    await h.downToSeed();
    expect(await rows('SELECT id, status::text, roles::text, role::text FROM "Item" ORDER BY id')).toEqual(before);
    expect(await backupTables()).toEqual([]);
  });

  it('dropped tables come back parents first, whatever order the migration dropped them in', async () => {
    const h = await history(
      `CREATE TABLE "Team" ("id" INT PRIMARY KEY, "name" TEXT NOT NULL);
       CREATE TABLE "TeamMember" ("id" INT PRIMARY KEY, "teamId" INT NOT NULL REFERENCES "Team"("id"));`,
      `INSERT INTO "Team" SELECT g, 'team ' || g FROM generate_series(1, 10) g; INSERT INTO "TeamMember" SELECT g, 1 + g % 10 FROM generate_series(1, 30) g;`,
      [['20990102000000_drop_teams', `ALTER TABLE "TeamMember" DROP CONSTRAINT "TeamMember_teamId_fkey";\nDROP TABLE "Team";\nDROP TABLE "TeamMember";`,
        `CREATE TABLE "TeamMember" ("id" INT PRIMARY KEY, "teamId" INT NOT NULL);\nCREATE TABLE "Team" ("id" INT PRIMARY KEY, "name" TEXT NOT NULL);\nALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id");`]],
    );
    await h.up();
    await h.downToSeed();
    expect(await rows('SELECT count(*)::int AS n FROM "Team"')).toEqual([{ n: 10 }]);
    expect(await rows('SELECT count(*)::int AS n FROM "TeamMember"')).toEqual([{ n: 30 }]);
  });

  it('a DELETE with a WITH, one with a trailing comment, and one inside a WITH: only the deleted rows come back', async () => {
    const h = await history(
      `CREATE TABLE "Sub" ("id" INT PRIMARY KEY, "userId" INT NOT NULL);
       CREATE TABLE "Event" ("id" INT PRIMARY KEY, "old" BOOLEAN NOT NULL);
       CREATE TABLE "Archive" ("id" INT PRIMARY KEY, "old" BOOLEAN NOT NULL);`,
      `INSERT INTO "Sub" SELECT g, g % 7 FROM generate_series(1, 40) g; INSERT INTO "Event" SELECT g, g > 10 FROM generate_series(1, 20) g;`,
      [['20990102000000_dedupe', `WITH ranked AS (SELECT id, row_number() OVER (PARTITION BY "userId" ORDER BY id DESC) rn FROM "Sub")
DELETE FROM "Sub" WHERE id IN (SELECT id FROM ranked WHERE rn > 1);
DELETE FROM "Event" WHERE "id" = 1 -- a stray row
;
WITH moved AS (DELETE FROM "Event" WHERE "old" RETURNING *) INSERT INTO "Archive" SELECT * FROM moved;`, 'DELETE FROM "Archive";']],
    );
    const [subs, events] = [await rows('SELECT * FROM "Sub" ORDER BY id'), await rows('SELECT * FROM "Event" ORDER BY id')];
    await h.up();
    expect(await rows('SELECT count(*)::int AS n FROM "Sub"')).toEqual([{ n: 7 }]);
    // Only the rows the WITH … DELETE matched were copied.
    expect(await rows(`SELECT rows::int FROM godwit.backups WHERE table_name = 'Sub'`)).toEqual([{ rows: 33 }]);
    await h.downToSeed();
    expect(await rows('SELECT * FROM "Sub" ORDER BY id')).toEqual(subs);
    expect(await rows('SELECT * FROM "Event" ORDER BY id')).toEqual(events);
  });

  it('a table renamed then changed in one migration, and a key the migration itself added', async () => {
    const h = await history(
      `CREATE TABLE "ApiConnection" ("id" INT PRIMARY KEY, "scope" TEXT);
       CREATE TABLE "Settings" ("teamId" INT NOT NULL UNIQUE, "theme" TEXT);
       CREATE TABLE "Loose" ("name" TEXT, "theme" TEXT);`,
      `INSERT INTO "ApiConnection" SELECT g, 'scope ' || g FROM generate_series(1, 10) g;
       INSERT INTO "Settings" SELECT g, 'theme ' || g FROM generate_series(1, 10) g; INSERT INTO "Loose" SELECT 'n' || g, 't' || g FROM generate_series(1, 5) g;`,
      [['20990102000000_rename_and_rekey', `ALTER TABLE "ApiConnection" RENAME TO "IntegrationConnection";
ALTER TABLE "IntegrationConnection" DROP COLUMN "scope";
ALTER TABLE "Settings" ADD COLUMN "id" SERIAL;
ALTER TABLE "Settings" ADD CONSTRAINT "Settings_pkey" PRIMARY KEY ("id");
ALTER TABLE "Settings" DROP COLUMN "theme";`, `ALTER TABLE "Settings" ADD COLUMN "theme" TEXT;
ALTER TABLE "Settings" DROP CONSTRAINT "Settings_pkey";
ALTER TABLE "Settings" DROP COLUMN "id";
ALTER TABLE "IntegrationConnection" ADD COLUMN "scope" TEXT;
ALTER TABLE "IntegrationConnection" RENAME TO "ApiConnection";`]],
    );
    const [conns, settings] = [await rows('SELECT * FROM "ApiConnection" ORDER BY id'), await rows('SELECT * FROM "Settings" ORDER BY "teamId"')];
    await h.up();
    // Settings' primary key is new: its rows are matched by the unique teamId that exists before and after.
    expect(await rows(`SELECT key_columns, restorable FROM godwit.backups WHERE table_name = 'Settings'`)).toEqual([{ key_columns: ['teamId'], restorable: true }]);
    await h.downToSeed();
    expect(await rows('SELECT * FROM "ApiConnection" ORDER BY id')).toEqual(conns);
    expect(await rows('SELECT * FROM "Settings" ORDER BY "teamId"')).toEqual(settings);
  });

  it('a dropped NOT NULL column that down.sql adds back NOT NULL, as Prisma writes it, comes back with its values', async () => {
    const h = await history(
      `CREATE TABLE "Item" ("id" INT PRIMARY KEY, "code" TEXT NOT NULL, "note" TEXT);`,
      `INSERT INTO "Item" SELECT g, 'code-' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END FROM generate_series(1, 30) g;`,
      [['20990102000000_drop_code', '-- AlterTable\nALTER TABLE "Item" DROP COLUMN "code",\nDROP COLUMN "note";\n',
        '-- AlterTable\nALTER TABLE "Item" ADD COLUMN     "code" TEXT NOT NULL,\nADD COLUMN     "note" TEXT;\n']],
    );
    const before = await rows('SELECT * FROM "Item" ORDER BY id');
    await h.up();
    const ctx = await projectOn(project.dir, db.url);
    const { sql } = await onEnv(ctx.env, (conn) => previewSql(ctx.open, ctx.env, conn, { direction: 'down', to: SEED }));
    expect(sql).toContain('RESTORE: down.sql adds Item.code back NOT NULL; it is sent without NOT NULL (blanked), refilled from the backup, then SET NOT NULL.');
    expect(sql).toMatch(/ADD COLUMN {5}"code" TEXT {9},/);
    expect(sql).toContain('ALTER TABLE "public"."Item" ALTER COLUMN "code" SET NOT NULL');
    await h.downToSeed();
    expect(await rows('SELECT * FROM "Item" ORDER BY id')).toEqual(before);
    expect(await rows(`SELECT attnotnull FROM pg_attribute WHERE attrelid = '"Item"'::regclass AND attname = 'code'`)).toEqual([{ attnotnull: true }]);
  });

  it('rows an ON DELETE CASCADE removes, and foreign keys a SET NULL clears, are copied with the deleted rows and come back', async () => {
    const h = await history(
      `CREATE TABLE "User" ("id" INT PRIMARY KEY);
       CREATE TABLE "Post" ("id" INT PRIMARY KEY, "userId" INT REFERENCES "User"("id") ON DELETE CASCADE);
       CREATE TABLE "Comment" ("id" INT PRIMARY KEY, "postId" INT NOT NULL REFERENCES "Post"("id") ON DELETE CASCADE);
       CREATE TABLE "Like" ("id" INT PRIMARY KEY, "userId" INT REFERENCES "User"("id") ON DELETE SET NULL);
       CREATE TABLE "Seen" ("userId" INT REFERENCES "User"("id") ON DELETE SET NULL);`,
      `INSERT INTO "User" SELECT g FROM generate_series(1, 10) g; INSERT INTO "Post" SELECT g, g FROM generate_series(1, 10) g;
       INSERT INTO "Comment" SELECT g, 1 + g % 10 FROM generate_series(1, 30) g; INSERT INTO "Like" SELECT g, g FROM generate_series(1, 10) g;
       INSERT INTO "Seen" SELECT g FROM generate_series(1, 10) g;`,
      [['20990102000000_prune_users', 'DELETE FROM "User" WHERE "id" > 8;', 'SELECT 1;']],
    );
    const ctx = await projectOn(project.dir, db.url);
    const { sql } = await onEnv(ctx.env, (conn) => previewSql(ctx.open, ctx.env, conn, { direction: 'up' }));
    expect(sql).toContain('rows of "Like" (ON DELETE SET NULL), "Post" (ON DELETE CASCADE) that reference the deleted rows are copied too, and restored; rows of "Seen" (ON DELETE SET NULL) are changed by PostgreSQL and not copied (no primary key)');
    const before = { posts: await rows('SELECT * FROM "Post" ORDER BY id'), comments: await rows('SELECT * FROM "Comment" ORDER BY id'), likes: await rows('SELECT * FROM "Like" ORDER BY id') };
    await h.up();
    expect(await rows('SELECT count(*)::int AS n FROM "Comment"')).toEqual([{ n: 24 }]);
    // Post's rows and, through them, Comment's: three copies in all.
    // The statement's own copy, then what its ON DELETE actions reach (numbered apart); Seen has no key: left.
    expect(await rows(`SELECT table_name, kind, rows::int FROM godwit.backups WHERE seq < 1000000`)).toEqual([{ table_name: 'User', kind: 'delete', rows: 2 }]);
    expect((await rows(`SELECT table_name, kind, rows::int FROM godwit.backups WHERE seq > 1000000 ORDER BY table_name`))).toEqual([
      { table_name: 'Comment', kind: 'delete', rows: 6 }, { table_name: 'Like', kind: 'update', rows: 2 }, { table_name: 'Post', kind: 'delete', rows: 2 },
    ]);
    await h.downToSeed();
    expect(await rows('SELECT * FROM "Post" ORDER BY id')).toEqual(before.posts);
    expect(await rows('SELECT * FROM "Comment" ORDER BY id')).toEqual(before.comments);
    expect(await rows('SELECT * FROM "Like" ORDER BY id')).toEqual(before.likes);
  });

  it('an UPDATE of key columns is kept for recovery by hand and said to be so; a failing down.sql statement is named right', async () => {
    const h = await history(
      `CREATE TABLE "Acc" ("id" INT PRIMARY KEY, "v" INT NOT NULL); CREATE TABLE "Item" ("id" INT PRIMARY KEY, "code" TEXT NOT NULL, "name" TEXT NOT NULL);`,
      `INSERT INTO "Acc" SELECT g, g FROM generate_series(1, 10) g; INSERT INTO "Item" SELECT g, 'c' || g, 'n' || g FROM generate_series(1, 10) g;`,
      [['20990102000000_renumber', 'UPDATE "Acc" SET "id" = "id" + 1000, "v" = 0 WHERE "v" > 5;\nALTER TABLE "Item" DROP COLUMN "code";',
        'ALTER TABLE "Item" ADD COLUMN "code" TEXT NOT NULL;\nUPDATE "Item" SET "name" = NULL;']],
    );
    await h.up();
    expect(await rows(`SELECT restorable, note FROM godwit.backups WHERE table_name = 'Acc'`)).toEqual([{ restorable: false, note: expect.stringContaining('one the UPDATE changes') }]);
    await rows(`DELETE FROM godwit.backups WHERE table_name = 'Acc'`);
    // The re-added NOT NULL column is sent without it: the statement that really fails is the UPDATE, statement 2.
    const failed = await h.downToSeed().then(() => null, (e: MigrationFailedError) => e);
    expect(failed).toBeInstanceOf(MigrationFailedError);
    expect(failed!.failure).toMatchObject({ migration: '20990102000000_renumber', file: 'down.sql', statementIndex: 2 });
  });

  it('on a small table never analysed, the rows a DELETE will copy are counted, not guessed', async () => {
    await history(`CREATE TABLE "Log" ("id" INT PRIMARY KEY, "n" INT NOT NULL);`, `INSERT INTO "Log" SELECT g, g FROM generate_series(1, 60) g;`,
      [['20990102000000_prune_log', 'DELETE FROM "Log" WHERE "n" > 50;', 'SELECT 1;']]);
    const ctx = await projectOn(project.dir, db.url);
    const { sql } = await onEnv(ctx.env, (conn) => previewSql(ctx.open, ctx.env, conn, { direction: 'up' }));
    expect(sql).toMatch(/copies the rows of Log the DELETE matches into schema godwit: ~10 row\(s\)/);
  });

  it('an UPDATE copies the key and the columns it sets, not whole rows', async () => {
    const h = await history(
      `CREATE TABLE "Doc" ("id" INT PRIMARY KEY, "flag" BOOLEAN NOT NULL DEFAULT false, "body" TEXT);`,
      `INSERT INTO "Doc" SELECT g, false, repeat('x', 2000) FROM generate_series(1, 50) g;`,
      [['20990102000000_flag_all', 'UPDATE "Doc" SET "flag" = true;', 'SELECT 1;']],
    );
    await h.up();
    const [copy] = await sqlOn<{ n: string }>(db.url, `SELECT id AS n FROM godwit.backups WHERE table_name = 'Doc'`);
    expect(await rows(`SELECT attname::text AS a FROM pg_attribute WHERE attrelid = 'godwit.${copy!.n}'::regclass AND attnum > 0 ORDER BY attnum`)).toEqual([{ a: 'id' }, { a: 'flag' }, { a: 'godwit_after' }]); // and the digest of what the UPDATE left
    await h.downToSeed();
    expect(await rows('SELECT count(*)::int AS n FROM "Doc" WHERE NOT flag')).toEqual([{ n: 50 }]);
  });
});
