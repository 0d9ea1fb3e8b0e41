import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { psqlStdin } from '../testing/psql.ts';
import { listBackups, MigrationFailedError, planFor, previewSql, rollback, upgrade, type Db, type Environment, type OpenProject } from '../index.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn, type TestDatabase } from '../testing/test-database.ts';
import type { TempProject } from '../testing/temp-project.ts';
import type { RunOptions } from '../apply/run-plan.ts';
import { previewDto } from '../service/to-dto.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });
let db: TestDatabase;
let project: TempProject;
beforeEach(() => {
  ({ db, project } = fresh());
});

const SEED = '20990101000000_people';
const PEOPLE = `CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL, phone text, score int NOT NULL DEFAULT 0, code varchar(40));
INSERT INTO people SELECT g, 'person ' || g, '+33 6 ' || lpad(g::text, 8, '0'), g % 97, 'code-' || g FROM generate_series(1, 10000) g;
ANALYZE people;`;

/** The demo history, then a table of 10,000 people, then `name` with its down.sql; returns what ran. */
async function setUp(name: string, up: string, down: string, seed = PEOPLE): Promise<{ open: OpenProject; env: Environment }> {
  await addMigration(project.dir, SEED, seed, 'DROP TABLE people;');
  await addMigration(project.dir, name, up, down);
  const ctx = await projectOn(project.dir, db.url);
  await onEnv(ctx.env, (conn) => upgrade({ db: conn, env: ctx.env, folder: ctx.open.folder }, { to: SEED }));
  return ctx;
}

const snapshot = (url: string) => sqlOn(url, 'SELECT * FROM people ORDER BY id');

async function run(ctx: { open: OpenProject; env: Environment }, direction: 'up' | 'down', opts: RunOptions & { to?: string } = {}) {
  return onEnv(ctx.env, (conn: Db) =>
    direction === 'up' ? upgrade({ db: conn, env: ctx.env, folder: ctx.open.folder }, opts) : rollback({ db: conn, env: ctx.env, folder: ctx.open.folder }, { ...opts, steps: 1 }),
  );
}

/** Backup tables in schema godwit, whoever made them. */
const backupTables = (url: string) => sqlOn<{ n: string }>(url, `SELECT relname AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'godwit' AND relname LIKE 'bk\\_%' ORDER BY 1`);
/** The catalog rows of one migration's backups. */
const catalogOf = async (url: string, migration: string) =>
  (await sqlOn<{ t: string | null }>(url, `SELECT to_regclass('godwit.backups')::text AS t`))[0]!.t ? sqlOn(url, 'SELECT * FROM godwit.backups WHERE migration_name = $1', [migration]) : [];

describe('backups of destructive migrations', () => {
  it('dropping a column of 10,000 values: rollback restores every value, row by row, and drops the backup', async () => {
    const ctx = await setUp('20990102000000_drop_phone', 'ALTER TABLE people DROP COLUMN phone;', 'ALTER TABLE people ADD COLUMN phone text;');
    const before = await snapshot(db.url);
    expect(before.filter((r) => r.phone !== null)).toHaveLength(10_000);
    await run(ctx, 'up');
    const tablesBefore = await backupTables(db.url);
    const listed = (await onEnv(ctx.env, (c) => listBackups(c, '"public"."_prisma_migrations"'))).filter((b) => b.migration === '20990102000000_drop_phone');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ migration: '20990102000000_drop_phone', kind: 'drop-column', table: 'public.people', column: 'phone', rows: 10_000, restorable: true, attached: true });
    await run(ctx, 'down');
    expect(await snapshot(db.url)).toEqual(before);
    expect(await backupTables(db.url)).toEqual(tablesBefore.filter((t) => t.n !== listed[0]!.id));
    expect(await catalogOf(db.url, '20990102000000_drop_phone')).toEqual([]);
  });

  it('restores a dropped table with its rows, and its serial sequence continues after them', async () => {
    const seed = `CREATE TABLE notes (id serial PRIMARY KEY, body text);
INSERT INTO notes (body) SELECT 'note ' || g FROM generate_series(1, 500) g;`;
    await addMigration(project.dir, SEED, `${PEOPLE}\n${seed}`, 'DROP TABLE notes; DROP TABLE people;');
    await addMigration(project.dir, '20990102000000_drop_notes', 'DROP TABLE notes;', 'CREATE TABLE notes (id serial PRIMARY KEY, body text);');
    const ctx = await projectOn(project.dir, db.url);
    await run(ctx, 'up');
    expect(await sqlOn(db.url, `SELECT to_regclass('notes') AS t`)).toEqual([{ t: null }]);
    await run(ctx, 'down');
    const rows = await sqlOn<{ id: number; body: string }>(db.url, 'SELECT id, body FROM notes ORDER BY id');
    expect(rows).toHaveLength(500);
    expect(rows.every((r, i) => r.id === i + 1 && r.body === `note ${i + 1}`)).toBe(true);
    // The recreated serial continues after the restored ids.
    expect(await sqlOn(db.url, `INSERT INTO notes (body) VALUES ('new') RETURNING id`)).toEqual([{ id: 501 }]);
  });

  it('restores the rows a DELETE with WHERE removed, and only those were copied', async () => {
    const ctx = await setUp('20990102000000_delete_some', 'DELETE FROM people p WHERE p.score < 10;', 'SELECT 1;');
    const before = await snapshot(db.url);
    await run(ctx, 'up');
    expect((await snapshot(db.url)).length).toBe(before.filter((r) => (r.score as number) >= 10).length);
    const [b] = await sqlOn<{ rows: string; kind: string }>(db.url, `SELECT rows::text, kind FROM godwit.backups WHERE migration_name = '20990102000000_delete_some'`);
    expect(b).toEqual({ rows: String(before.filter((r) => (r.score as number) < 10).length), kind: 'delete' });
    await run(ctx, 'down');
    expect(await snapshot(db.url)).toEqual(before);
  });

  it('puts back the values an UPDATE changed, and a type narrowing’s values', async () => {
    const ctx = await setUp(
      '20990102000000_update_and_narrow',
      `UPDATE people SET name = upper(name), score = -1 WHERE id % 3 = 0;\nALTER TABLE people ALTER COLUMN code TYPE varchar(6) USING left(code, 6);`,
      'ALTER TABLE people ALTER COLUMN code TYPE varchar(40);',
    );
    const before = await snapshot(db.url);
    await run(ctx, 'up');
    const after = await snapshot(db.url);
    expect(after.find((r) => r.id === 3)).toMatchObject({ name: 'PERSON 3', score: -1, code: 'code-3' });
    expect(after.find((r) => r.id === 12345 % 10000)).toMatchObject({ code: 'code-2' });
    await run(ctx, 'down');
    expect(await snapshot(db.url)).toEqual(before);
  });

  it("restores an enum column copied while its type was renamed aside (E_old), into the re-created E (langfuse)", async () => {
    const seed = `CREATE TYPE "Severity" AS ENUM ('LOW', 'HIGH');
CREATE TABLE monitors (id int PRIMARY KEY, severity "Severity" NOT NULL);
INSERT INTO monitors VALUES (1, 'HIGH'), (2, 'LOW');`;
    const recreate = (values: string) => `ALTER TYPE "Severity" RENAME TO "Severity_old";
CREATE TYPE "Severity" AS ENUM (${values});
ALTER TABLE monitors ALTER COLUMN severity TYPE "Severity" USING (severity::text::"Severity");
DROP TYPE "Severity_old";`;
    // Up narrows the values (HIGH becomes LOW through the USING): the copy is what restores HIGH.
    const ctx = await setUp('20990102000000_pause', recreate(`'LOW', 'PAUSED'`).replace(`severity::text::"Severity"`, `CASE severity::text WHEN 'HIGH' THEN 'LOW' ELSE severity::text END::"Severity"`), recreate(`'LOW', 'HIGH'`), seed);
    await run(ctx, 'up');
    expect(await sqlOn(db.url, 'SELECT id, severity::text AS s FROM monitors ORDER BY id')).toEqual([{ id: 1, s: 'LOW' }, { id: 2, s: 'LOW' }]);
    expect((await catalogOf(db.url, '20990102000000_pause')).map((r) => (r as { column_type: string }).column_type)).toEqual(['"Severity_old"']);
    await run(ctx, 'down');
    expect(await sqlOn(db.url, 'SELECT id, severity::text AS s FROM monitors ORDER BY id')).toEqual([{ id: 1, s: 'HIGH' }, { id: 2, s: 'LOW' }]);
  });

  it("says before the rollback that such an enum column will be restored, when down.sql leaves the column alone", async () => {
    const seed = `CREATE TYPE "Severity" AS ENUM ('LOW', 'HIGH');
CREATE TABLE monitors (id int PRIMARY KEY, severity "Severity" NOT NULL);
INSERT INTO monitors VALUES (1, 'HIGH'), (2, 'LOW');`;
    const up = `ALTER TYPE "Severity" RENAME TO "Severity_old";
CREATE TYPE "Severity" AS ENUM ('LOW', 'HIGH', 'PAUSED');
ALTER TABLE monitors ALTER COLUMN severity TYPE "Severity" USING (CASE severity::text WHEN 'HIGH' THEN 'PAUSED' ELSE severity::text END::"Severity");
DROP TYPE "Severity_old";`;
    const ctx = await setUp('20990102000000_pause_all', up, 'SELECT 1;', seed);
    await run(ctx, 'up');
    const plan = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    expect(plan.steps[0]!.backup?.problems ?? []).toEqual([]);
    await run(ctx, 'down');
    expect(await sqlOn(db.url, 'SELECT id, severity::text AS s FROM monitors ORDER BY id')).toEqual([{ id: 1, s: 'HIGH' }, { id: 2, s: 'LOW' }]);
  });

  it('restores a column the migration renamed and then changed under its name again, once down.sql renamed it back (inbox-zero)', async () => {
    const ctx = await setUp('20990102000000_score_in_tenths', `ALTER TABLE people RENAME COLUMN score TO "scoreTenths";
UPDATE people SET "scoreTenths" = "scoreTenths" * 10;
ALTER TABLE people RENAME phone TO mobile;
DELETE FROM people WHERE id > 9990;`, 'ALTER TABLE people RENAME COLUMN "scoreTenths" TO score;\nALTER TABLE people RENAME mobile TO phone;');
    const before = await snapshot(db.url);
    // The UPDATE's column has its new name only once the run renamed it: said so, not as the server's error.
    const plan = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'up' }));
    expect(plan.steps[0]!.backup!.copies.find((c) => c.target.kind === 'update')!.note).toBe('what it reads is named by an earlier statement or migration of the run, so it cannot be sized before: size unknown');
    await run(ctx, 'up');
    expect(await sqlOn(db.url, 'SELECT "scoreTenths" AS s, mobile FROM people WHERE id = 96')).toEqual([{ s: 960, mobile: '+33 6 00000096' }]);
    await run(ctx, 'down');
    // The UPDATE's copy (score, as scoreTenths) and the DELETE's (whole rows, phone as mobile) go back under the old names.
    expect(await snapshot(db.url)).toEqual(before);
  });

  it('copies nothing for a widening type change, and restores an UPDATE … FROM by primary key', async () => {
    await addMigration(project.dir, SEED, `${PEOPLE}\nCREATE TABLE bonus (person int PRIMARY KEY, points int);\nINSERT INTO bonus SELECT g, g FROM generate_series(1, 50) g;`, 'DROP TABLE bonus; DROP TABLE people;');
    // int → numeric(65,30) too: 35 digits before the point hold any int (formbricks' displayPercentage was copied).
    await addMigration(project.dir, '20990102000000_widen_and_merge', `ALTER TABLE people ALTER COLUMN score TYPE bigint, ALTER COLUMN code TYPE varchar(80);
ALTER TABLE bonus ALTER COLUMN points TYPE DECIMAL(65,30);
UPDATE people p SET score = p.score + b.points FROM bonus b WHERE b.person = p.id;`, 'ALTER TABLE people ALTER COLUMN score TYPE int, ALTER COLUMN code TYPE varchar(40);\nALTER TABLE bonus ALTER COLUMN points TYPE int;');
    const ctx = await projectOn(project.dir, db.url);
    await run(ctx, 'up', { to: SEED });
    const plan = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'up' }));
    expect(plan.steps[0]!.backup!.copies.map((c) => [c.target.kind, c.skipped])).toEqual([['alter-type', true], ['alter-type', true], ['alter-type', true], ['update', false]]);
    const before = await snapshot(db.url);
    await run(ctx, 'up');
    expect(await catalogOf(db.url, '20990102000000_widen_and_merge')).toMatchObject([{ kind: 'update', rows: '50', set_columns: ['score'] }]);
    await run(ctx, 'down');
    expect(await snapshot(db.url)).toEqual(before);
  });

  it('a failure during the migration leaves no backup and no trace', async () => {
    const ctx = await setUp('20990102000000_drop_then_fail', 'ALTER TABLE people DROP COLUMN phone;\nSELECT 1/0;', 'ALTER TABLE people ADD COLUMN phone text;');
    const before = await snapshot(db.url);
    const tablesBefore = await backupTables(db.url);
    await expect(run(ctx, 'up')).rejects.toThrow(MigrationFailedError);
    expect(await snapshot(db.url)).toEqual(before);
    expect(await catalogOf(db.url, '20990102000000_drop_then_fail')).toEqual([]);
    expect(await backupTables(db.url)).toEqual(tablesBefore);
  });

  it('puts copied values back only in rows that still hold what the migration left: rows written since the upgrade keep theirs, whatever the time zones', async () => {
    const seed = `CREATE TYPE tier AS ENUM ('bronze', 'silver', 'gold', 'legacy');
CREATE TABLE members (id int PRIMARY KEY, tier tier NOT NULL, score numeric(10,2) NOT NULL, seen timestamp NOT NULL);
INSERT INTO members SELECT g, (ARRAY['bronze', 'silver', 'gold', 'legacy'])[1 + g % 4]::tier, g + 0.25, timestamp '2024-01-01 12:00' + g * interval '1 hour' FROM generate_series(1, 1000) g;`;
    // A backfill (UPDATE), an enum value dropped (ALTER COLUMN TYPE), a lossy numeric → integer, a time-zone-dependent type.
    const up = `UPDATE members SET tier = 'bronze' WHERE tier = 'legacy';
CREATE TYPE tier_new AS ENUM ('bronze', 'silver', 'gold');
ALTER TABLE members ALTER COLUMN tier TYPE tier_new USING tier::text::tier_new;
DROP TYPE tier;
ALTER TYPE tier_new RENAME TO tier;
ALTER TABLE members ALTER COLUMN score TYPE integer;
ALTER TABLE members ALTER COLUMN seen TYPE timestamptz;`;
    const down = `CREATE TYPE tier_old AS ENUM ('bronze', 'silver', 'gold', 'legacy');
ALTER TABLE members ALTER COLUMN tier TYPE tier_old USING tier::text::tier_old;
DROP TYPE tier;
ALTER TYPE tier_old RENAME TO tier;
ALTER TABLE members ALTER COLUMN score TYPE numeric(10,2);
ALTER TABLE members ALTER COLUMN seen TYPE timestamp;`;
    const ctx = await setUp('20990102000000_tiers', up, down, seed);
    const members = () => sqlOn<{ id: number; tier: string; score: string; seen: string }>(db.url, `SELECT id, tier::text, score::text, seen::text FROM members ORDER BY id`);
    const before = await members();
    // The upgrade runs in Tokyo, the rollback in New York: a row's text must not look changed for that alone.
    await sqlOn(db.url, `ALTER DATABASE "${db.name}" SET timezone = 'Asia/Tokyo'`);
    await run(ctx, 'up');
    // The application, after the upgrade: rows 3 (a legacy row the backfill moved) and 4 change, 5 goes, 1001 is new.
    await sqlOn(db.url, `UPDATE members SET tier = 'gold', score = 77, seen = '2030-01-01 00:00:00+00' WHERE id IN (3, 4);
DELETE FROM members WHERE id = 5;
INSERT INTO members VALUES (1001, 'silver', 5, '2030-02-01 00:00:00+00');`);
    await sqlOn(db.url, `ALTER DATABASE "${db.name}" SET timezone = 'America/New_York'`);
    const { sql } = await onEnv(ctx.env, (c) => previewSql(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    expect(sql).toContain('rows changed since the upgrade keep their values');
    expect(sql).toContain(`SELECT godwit.digests_v1("id", 'same')`);
    const report = await run(ctx, 'down');
    const after = await members();
    // Every row the application left alone is exactly as before the upgrade: legacy again, its cents, its time.
    const untouched = (r: { id: number }) => ![3, 4, 5].includes(r.id) && r.id <= 1000;
    expect(after.filter(untouched)).toEqual(before.filter(untouched));
    expect(after.filter((r) => r.tier === 'legacy')).toHaveLength(before.filter((r) => r.tier === 'legacy').length - 1);
    // What the application wrote since stays (as down.sql converts it: the time in New York), and nothing comes back.
    expect(after.filter((r) => !untouched(r))).toEqual([
      { id: 3, tier: 'gold', score: '77.00', seen: '2029-12-31 19:00:00' },
      { id: 4, tier: 'gold', score: '77.00', seen: '2029-12-31 19:00:00' },
      { id: 1001, tier: 'silver', score: '5.00', seen: '2030-01-31 19:00:00' },
    ]);
    // And the run says so, once per copy that kept rows.
    expect(report.completed[0]!.kept?.split('; ').sort()).toEqual([
      '1 row(s) of public.members.tier changed since the upgrade kept their values',
      '2 row(s) of public.members.score changed since the upgrade kept their values',
      '2 row(s) of public.members.seen changed since the upgrade kept their values',
      '2 row(s) of public.members.tier changed since the upgrade kept their values',
    ]);
  });

  it('says before rolling back that rows inserted since the upgrade have no copy of a NOT NULL column down.sql adds back without a default', async () => {
    const ctx = await setUp('20990102000000_drop_name', 'ALTER TABLE people DROP COLUMN name;', 'ALTER TABLE people ADD COLUMN name text NOT NULL;');
    await run(ctx, 'up');
    await sqlOn(db.url, 'INSERT INTO people (id) VALUES (10001), (10002)');
    const plan = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    expect(plan.steps[0]!.backup!.problems).toEqual([
      'public.people.name: 2 row(s) inserted since the upgrade have no copy of the column, which down.sql adds back NOT NULL without a default, so setting NOT NULL after the refill would fail; give it a DEFAULT in down.sql, or fill those rows first',
    ]);
    await expect(run(ctx, 'down')).rejects.toMatchObject({ code: 'backup-not-restorable' });
    // Without them, nothing to say: the refill covers every row.
    await sqlOn(db.url, 'DELETE FROM people WHERE id > 10000');
    const again = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    expect(again.steps[0]!.backup!.problems).toEqual([]);
  });

  it('the rollback preview says which restores cannot work: a column down.sql leaves out, a type changed since the copy', async () => {
    const ctx = await setUp(
      '20990102000000_drop_and_retype',
      'ALTER TABLE people DROP COLUMN phone;\nALTER TABLE people ALTER COLUMN code TYPE varchar(20);\nALTER TABLE people ALTER COLUMN score TYPE bigint;',
      // Forgets phone; leaves code narrowed (score, widened, was not copied: nothing to restore).
      'ALTER TABLE people ALTER COLUMN score TYPE int;',
    );
    await run(ctx, 'up');
    const preview = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    expect(preview.steps[0]!.backup!.problems.sort()).toEqual([
      'public.people.code (alter-type): the column is character varying(20) now, it was character varying(40) when copied',
      'public.people.phone (drop-column): down.sql does not add the column back',
    ]);
  });

  it('a failure during the restore rolls the whole rollback back: down.sql, history and backup stay as they were', async () => {
    // down.sql brings the column back with another type: the values cannot go back into it.
    const ctx = await setUp('20990102000000_drop_phone', 'ALTER TABLE people DROP COLUMN phone;', 'ALTER TABLE people ADD COLUMN phone int;');
    await run(ctx, 'up');
    const preview = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    // Not predictable from here (down.sql adds the column itself): the restore finds out, inside the transaction.
    expect(preview.steps[0]!.backup!.problems).toEqual([]);
    const err = await run(ctx, 'down').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationFailedError);
    expect((err as MigrationFailedError).failure).toMatchObject({ phase: 'restore', rolledBack: true });
    expect((err as MigrationFailedError).message).toMatch(/it is integer now, it was text when copied/);
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'phone'`)).toEqual([{ n: 0 }]);
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = '20990102000000_drop_phone'`)).toEqual([{ n: 1 }]);
    expect(await catalogOf(db.url, '20990102000000_drop_phone')).toMatchObject([{ kind: 'drop-column', rows: '10000' }]);
  });

  it('the preview the app reads says what each step copies and how much; a migration outside a transaction says it is not backed up', async () => {
    const ctx = await setUp(
      '20990102000000_mixed',
      'CREATE INDEX CONCURRENTLY people_score ON people (score);\nDELETE FROM people WHERE id <= 100;',
      'DROP INDEX people_score;',
    );
    await addMigration(project.dir, '20990103000000_truncate', 'TRUNCATE people;', 'SELECT 1;');
    const fresh = await projectOn(project.dir, db.url);
    const plan = await onEnv(ctx.env, (c) => planFor(fresh.open, ctx.env, c, { direction: 'up' }));
    const dto = previewDto(plan, undefined, ctx.env);
    expect(dto.steps[0]!.backup).toMatchObject({ skipped: expect.stringMatching(/runs outside a transaction \(CREATE INDEX CONCURRENTLY\)/), copies: [{ kind: 'delete', table: 'people', statement: 2 }] });
    // What the step outside a transaction destroys is said as lost, not as a copy (civitai read both at once).
    expect(dto.steps[0]!.backup!.lines[1]).toMatch(/^NOT BACKED UP \(statement 2\): no copy is made of the rows of people the DELETE matches: ~\d+ row\(s\)/);
    expect(dto.steps[1]!.backup!.copies).toMatchObject([{ kind: 'truncate', table: 'people', rows: 10_000, restorable: true }]);
    expect(dto.steps[1]!.backup!.lines[0]).toMatch(/^BACKUP \(statement 1\): copies the table people \(TRUNCATE\) into schema godwit: ~10,000 row\(s\), ~\d+(\.\d)? (kB|MB)\.$/);
    // Only the transactional step's copy counts toward the limit.
    expect(dto.backup).toMatchObject({ rows: 10_000, overLimit: false, limitBytes: 1024 ** 3 });
    expect(dto.sql).toContain('SELECT godwit.backup_v4(');
  });

  it('sizes the copy of a table that exists before the run, and says "unknown" for one an earlier migration of the run creates', async () => {
    const ctx = await setUp('20990102000000_made_here', 'CREATE TABLE made_here (id int PRIMARY KEY, note text);', 'DROP TABLE made_here;');
    await addMigration(project.dir, '20990103000000_drops_both', 'ALTER TABLE made_here DROP COLUMN note;\nALTER TABLE people DROP COLUMN phone;', 'SELECT 1;');
    const fresh = await projectOn(project.dir, db.url);
    const plan = await onEnv(ctx.env, (c) => planFor(fresh.open, ctx.env, c, { direction: 'up' }));
    const copies = plan.steps.flatMap((s) => s.backup?.copies ?? []);
    expect(copies.map((c) => [c.target.table, c.rows, c.note])).toEqual([
      ['"made_here"', null, 'the table does not exist before the run (an earlier statement or migration of the run creates it): size unknown'],
      ['"people"', 10_000, null],
    ]);
  });

  it('the SQL preview sets the backup functions up once, and piped into psql it backs up as godwit up does', async () => {
    await setUp('20990102000000_drop_phone', 'ALTER TABLE people DROP COLUMN phone;', 'ALTER TABLE people ADD COLUMN phone text;');
    await addMigration(project.dir, '20990103000000_drop_code', 'ALTER TABLE people DROP COLUMN code;', 'ALTER TABLE people ADD COLUMN code varchar(40);');
    const again = await projectOn(project.dir, db.url);
    const before = await snapshot(db.url);
    const { sql } = await onEnv(again.env, (conn) => previewSql(again.open, again.env, conn, { direction: 'up' }));
    // Two backing-up transactions, one copy of the ~100-line setup, a one-line reference in each transaction.
    expect(sql.match(/CREATE FUNCTION godwit\.backup_v4/g)).toHaveLength(1);
    expect(sql.match(/-- godwit: backup functions \(set up at the top of this script\)/g)).toHaveLength(2);
    await psqlStdin(db.url, sql);
    expect((await catalogOf(db.url, '20990102000000_drop_phone')).length + (await catalogOf(db.url, '20990103000000_drop_code')).length).toBe(2);
    // Godwit's rollbacks restore what the script run by psql copied.
    await onEnv(again.env, (conn: Db) => rollback({ db: conn, env: again.env, folder: again.open.folder }, { to: SEED }));
    expect(await snapshot(db.url)).toEqual(before);
    expect(await backupTables(db.url)).toEqual([]);
  });

  it('a table without a primary key is reported as not restorable before the run, and the rollback refuses without --no-restore', async () => {
    const seed = `CREATE TABLE logs (at int, msg text);\nINSERT INTO logs SELECT g, 'm' || g FROM generate_series(1, 100) g;`;
    const ctx = await setUp('20990102000000_drop_msg', 'ALTER TABLE logs DROP COLUMN msg;', 'ALTER TABLE logs ADD COLUMN msg text;', seed);
    const up = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'up' }));
    expect(up.steps[0]!.backup!.copies[0]).toMatchObject({ restorable: false, rows: 100 });
    expect(up.steps[0]!.backup!.copies[0]!.note).toMatch(/no primary key/);
    await run(ctx, 'up');
    const down = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    expect(down.steps[0]!.backup!.problems.join()).toMatch(/no primary key/);
    await expect(run(ctx, 'down')).rejects.toMatchObject({ message: expect.stringMatching(/would not restore the backed-up data/), hint: expect.stringMatching(/--no-restore/) });
    await run(ctx, 'down', { backup: { noRestore: true } });
    // Kept for recovery by hand: the whole table, detached from the history.
    const kept = (await onEnv(ctx.env, (c) => listBackups(c, '"public"."_prisma_migrations"'))).filter((b) => b.migration === '20990102000000_drop_msg');
    expect(kept).toMatchObject([{ rows: 100, restorable: false, attached: false }]);
  });

  it('makes no copy at all where nothing is destroyed (an empty table, a WHERE matching no row), and one where rows are', async () => {
    // Every table the migration's transaction creates is logged by an event trigger: a copy made and dropped again
    // would leave no other trace, and costs ~8 ms of catalog work per statement on a fresh, empty database.
    const seed = `CREATE TABLE empty_one (id int PRIMARY KEY, v text);
CREATE TABLE ddl_log (tag text, identity text);
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO ddl_log SELECT command_tag, object_identity FROM pg_event_trigger_ddl_commands(); END $$;
CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION log_ddl();`;
    const ctx = await setUp('20990102000000_destroy_nothing', 'ALTER TABLE empty_one DROP COLUMN v;\nDELETE FROM people WHERE score > 1000;\nALTER TABLE people DROP COLUMN code;',
      'ALTER TABLE people ADD COLUMN code varchar(40);\nALTER TABLE empty_one ADD COLUMN v text;', `${PEOPLE}\n${seed}`);
    await run(ctx, 'up');
    const made = await sqlOn<{ identity: string }>(db.url, `SELECT identity FROM ddl_log WHERE tag = 'CREATE TABLE AS' ORDER BY 1`);
    const listed = (await onEnv(ctx.env, (c) => listBackups(c, '"public"."_prisma_migrations"'))).filter((b) => b.migration === '20990102000000_destroy_nothing');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'drop-column', table: 'public.people', column: 'code', rows: 10_000 });
    expect(made).toEqual([{ identity: `godwit.${listed[0]!.id}` }]);
    await sqlOn(db.url, 'DROP EVENT TRIGGER log_ddl');
  });
});
