import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMigration, generateDownSql, openProject, upgrade, rollback } from '../index.ts';
import { databasesLike, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { schemaDump } from '../testing/pg-dump.ts';
import type { TempProject } from '../testing/temp-project.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { migrationFolderName } from './new-migration.ts';
import { SHADOW_PREFIX } from '../schema-engine/pg-adapter-factory.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });
let db: TestDatabase;
let project: TempProject;
beforeEach(() => {
  ({ db, project } = fresh());
});

const NOTES_MODEL = `
model PatientNote {
  id         Int      @id @default(autoincrement())
  body       String
  created_at DateTime @default(now())

  @@map("patient_notes")
}
`;

describe('godwit new', () => {
  it('names folders as Prisma does', () => {
    expect(migrationFolderName('Add patient notes!', new Date('2026-03-04T05:06:07Z'))).toBe('20260304050607_add_patient_notes');
  });

  it('generates migration.sql and down.sql from schema.prisma without touching the database', async () => {
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await sqlOn(db.url, `INSERT INTO users (email, hashed_password, updated_at) VALUES ('a@example.com', 'x', now())`);
    const dumpBefore = await schemaDump(db.url);
    const schemaFile = join(project.dir, 'prisma', 'schema.prisma');
    await writeFile(schemaFile, (await readFile(schemaFile, 'utf8')) + NOTES_MODEL);

    const reopened = await openProject(project.dir);
    const created = await onEnv(env, (conn) => createMigration(conn, reopened.project, reopened.folder, 'add patient notes'));
    expect(created).not.toBeNull();
    expect(created!.name).toMatch(/^\d{14}_add_patient_notes$/);
    expect(created!.upSql).toContain('CREATE TABLE "patient_notes"');
    expect(created!.downSql).toMatch(/DROP TABLE "(public"\.")?patient_notes"/);
    expect(await readFile(join(created!.dir, 'migration.sql'), 'utf8')).toBe(created!.upSql);
    expect(await readFile(join(created!.dir, 'down.sql'), 'utf8')).toBe(created!.downSql);
    // The database was only read: same schema, same data, no shadow left behind.
    expect(await schemaDump(db.url)).toBe(dumpBefore);
    expect(await sqlOn(db.url, 'SELECT email FROM users')).toEqual([{ email: 'a@example.com' }]);
    expect(await databasesLike(`${SHADOW_PREFIX}${process.pid}_`)).toEqual([]);

    // The new pair works both ways, and nothing more is generated once the history has it.
    const withNew = await openProject(project.dir);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: withNew.folder }, {}));
    expect(await sqlOn(db.url, "SELECT to_regclass('patient_notes')::text AS t")).toEqual([{ t: 'patient_notes' }]);
    await onEnv(env, (conn) => rollback({ db: conn, env, folder: withNew.folder }, { steps: 1 }));
    expect(await schemaDump(db.url)).toBe(dumpBefore);
    const entries = await readdir(join(project.dir, 'migrations'));
    expect(await onEnv(env, (conn) => createMigration(conn, withNew.project, withNew.folder, 'again'))).toBeNull();
    expect(await readdir(join(project.dir, 'migrations'))).toEqual(entries);
  });

  it("writes the down script down-sql would: an enum value the migration drops comes back in its place, not last", async () => {
    // Dated yesterday: before the migration `new` names now, after the demo's history.
    await addMigration(project.dir, migrationFolderName('priority', new Date(Date.now() - 86_400_000)), `CREATE TYPE "Priority" AS ENUM ('LOW', 'MEDIUM', 'HIGH');
CREATE TABLE "tickets" ("id" INTEGER NOT NULL, "priority" "Priority" NOT NULL DEFAULT 'LOW', CONSTRAINT "tickets_pkey" PRIMARY KEY ("id"));\n`);
    const schemaFile = join(project.dir, 'prisma', 'schema.prisma');
    const base = await readFile(schemaFile, 'utf8');
    const withEnum = (values: string[]) => `${base}\nenum Priority {\n${values.map((v) => `  ${v}\n`).join('')}}\n\nmodel Ticket {\n  id       Int      @id\n  priority Priority @default(LOW)\n\n  @@map("tickets")\n}\n`;
    await writeFile(schemaFile, withEnum(['LOW', 'MEDIUM', 'HIGH']));
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await sqlOn(db.url, `INSERT INTO tickets VALUES (1, 'HIGH'), (2, 'LOW')`);
    const dumpBefore = await schemaDump(db.url);

    await writeFile(schemaFile, withEnum(['LOW', 'HIGH']));
    const reopened = await openProject(project.dir);
    const created = await onEnv(env, (conn) => createMigration(conn, reopened.project, reopened.folder, 'drop medium'));
    // Prisma's own down script appends the value (`ADD VALUE 'MEDIUM';`): ORDER BY would put MEDIUM after HIGH.
    expect(created!.downSql).toMatch(/^-- Generated by godwit/);
    expect(created!.downSql).toMatch(/ADD VALUE 'MEDIUM' BEFORE 'HIGH';/);
    const withNew = await openProject(project.dir);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: withNew.folder }, {}));
    await onEnv(env, (conn) => rollback({ db: conn, env, folder: withNew.folder }, { steps: 1 }));
    expect(await schemaDump(db.url)).toBe(dumpBefore);
    expect(await sqlOn(db.url, `SELECT enum_range(NULL::"Priority")::text AS r`)).toEqual([{ r: '{LOW,MEDIUM,HIGH}' }]);
    expect(await sqlOn(db.url, 'SELECT id FROM tickets ORDER BY priority')).toEqual([{ id: 2 }, { id: 1 }]);
  });

  it('says when the migration Prisma wrote cannot apply as written (an enum value added and used in one migration)', async () => {
    await addMigration(project.dir, migrationFolderName('priority', new Date(Date.now() - 86_400_000)), `CREATE TYPE "Priority" AS ENUM ('LOW', 'HIGH');
CREATE TABLE "tickets" ("id" INTEGER NOT NULL, "priority" "Priority" NOT NULL DEFAULT 'LOW', CONSTRAINT "tickets_pkey" PRIMARY KEY ("id"));\n`);
    const schemaFile = join(project.dir, 'prisma', 'schema.prisma');
    const base = await readFile(schemaFile, 'utf8');
    const model = (values: string, fallback: string) => `${base}\nenum Priority {\n${values}}\n\nmodel Ticket {\n  id       Int      @id\n  priority Priority @default(${fallback})\n\n  @@map("tickets")\n}\n`;
    await writeFile(schemaFile, model('  LOW\n  HIGH\n', 'LOW'));
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await writeFile(schemaFile, model('  LOW\n  HIGH\n  URGENT\n', 'URGENT'));
    const reopened = await openProject(project.dir);
    const created = await onEnv(env, (conn) => createMigration(conn, reopened.project, reopened.folder, 'urgent by default', { write: false }));
    expect(created!.upSql).toMatch(/ADD VALUE 'URGENT'/);
    const note = created!.warnings.find((w) => w.startsWith('migration.sql does not apply as written'));
    expect(note, created!.warnings.join('\n')).toMatch(/^migration\.sql does not apply as written: replayed after the history on a shadow database, it fails: unsafe use of new value "URGENT" of enum type "Priority"/);
    expect(note).toMatch(/move that use to a migration of its own/);
    expect(note).not.toContain('godwit_new_migration');
    // Prisma's own reverse script stands in for Godwit's: the value goes by re-creating the type without it.
    expect(created!.downSql).toMatch(/CREATE TYPE "public"\."Priority_new" AS ENUM \('LOW', 'HIGH'\)/);
  });

  it('writes an empty pair with --empty, and reports Prisma\'s data-loss warnings', async () => {
    const { open, env } = await projectOn(project.dir, db.url);
    const empty = await onEnv(env, (conn) => createMigration(conn, open.project, open.folder, 'by_hand', { empty: true }));
    expect(await readFile(join(empty!.dir, 'migration.sql'), 'utf8')).toMatch(/^-- /);

    const withEmpty = await openProject(project.dir);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: withEmpty.folder }, {}));
    await sqlOn(db.url, `INSERT INTO booking_requests (address, duration, subject, requested_by) VALUES ('{}', 30, 's', 'r')`);
    const schemaFile = join(project.dir, 'prisma', 'schema.prisma');
    await writeFile(schemaFile, (await readFile(schemaFile, 'utf8')).replace(/model BookingRequest \{[\s\S]*?\n\}\n/, ''));
    const dropped = await openProject(project.dir);
    const created = await onEnv(env, (conn) => createMigration(conn, dropped.project, dropped.folder, 'drop bookings', { write: false }));
    expect(created!.upSql).toContain('DROP TABLE "booking_requests"');
    expect(created!.warnings.join(' ')).toMatch(/booking_requests.*1 (non-null )?rows?/);
    expect(created!.written).toBe(false);
  });
});

describe('godwit new against a database behind the history', () => {
  it('still generates the migration, and says why Prisma\'s data-loss check was skipped', async () => {
    const schemaFile = join(project.dir, 'prisma', 'schema.prisma');
    await writeFile(schemaFile, (await readFile(schemaFile, 'utf8')) + NOTES_MODEL);
    const { open, env } = await projectOn(project.dir, db.url);
    const created = await onEnv(env, (conn) => createMigration(conn, open.project, open.folder, 'notes', { write: false }));
    expect(created!.upSql).toContain('CREATE TABLE "patient_notes"');
    expect(created!.warnings.join(' ')).toMatch(/data-loss check was skipped/);
    expect(await sqlOn(db.url, "SELECT to_regclass('_prisma_migrations')::text AS t")).toEqual([{ t: null }]);
  });
});

describe('godwit down-sql', () => {
  it('generates the reverse of a migration from the schemas before and after it', async () => {
    const { open, env } = await projectOn(project.dir, db.url);
    const gen = await onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, '20250412090000_create_booking_requests'));
    expect(gen.sql).toMatch(/DROP TABLE "(public"\.")?booking_requests"/);
    await expect(onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, '20250412090000_create_booking_requests', { write: true }))).rejects.toThrow(/already exists/);
    await expect(onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, 'nope'))).rejects.toThrow(/no migration named "nope"/);
  });
});
