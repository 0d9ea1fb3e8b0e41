import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigration, upgrade, type Db, type OpenProject } from '../index.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn } from '../testing/test-database.ts';
import { migrationList, projectFilter, withConfigOnlySchema, withSchemaEngine } from '../schema-engine/engine-session.ts';
import { mendPrismaSql } from './prisma-sql-fixes.ts';
import { dataLossCheck, upScriptFromCheckedHistory } from './data-loss-check.ts';
import { downFromCatalog } from './new-migration.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });

/** The name the reference's down script is generated under; each answer's own name is replaced with it to compare. */
const REFERENCE_NAME = '20000101000000_reference';

/**
 * The answer as `new` computed it before its fast paths: one engine, no shadow cache, the two diffs, then Prisma's
 * diagnoseMigrationHistory in full and evaluateDataLoss (which fails when the database is not at the head); the down
 * script as down-sql writes it for that up script, without the cache.
 */
async function reference(db: Db, open: OpenProject): Promise<{ up: string; down: string; warnings: string[] | 'skipped'; unexecutable: string[] }> {
  const answer = await engineAnswer(db, open);
  const down = await downFromCatalog(db, open.project, open.folder, { name: REFERENCE_NAME, dir: join(open.folder.dir, REFERENCE_NAME), upSql: answer.up }, false);
  if (typeof down !== 'string') throw new Error(`the reference down script could not be generated: ${down.error}`);
  return { ...answer, down };
}

/** Each answer with its own migration name replaced by the reference's, as the down script's header names it. */
const comparable = (r: { name: string; upSql: string; downSql: string; warnings: string[]; unexecutable: string[] } | null) =>
  ({ up: r?.upSql, down: r?.downSql.replaceAll(r.name, REFERENCE_NAME), warnings: r?.warnings, unexecutable: r?.unexecutable });

async function engineAnswer(db: Db, open: OpenProject): Promise<{ up: string; down: string; warnings: string[] | 'skipped'; unexecutable: string[] }> {
  const { project, folder } = open;
  const list = migrationList(project, folder);
  const filters = projectFilter(project);
  const schema = { files: project.schemaFiles };
  return withSchemaEngine(db, project, async (engine) => {
    const up = await engine.diff({ from: { tag: 'migrations', ...list }, to: { tag: 'schemaDatamodel', ...schema }, script: true, exitCode: null, filters });
    const down = await engine.diff({ from: { tag: 'schemaDatamodel', ...schema }, to: { tag: 'migrations', ...list }, script: true, exitCode: null, filters });
    const sql = (s: string | null | undefined) => mendPrismaSql((s ?? '').trimEnd()) + '\n';
    try {
      await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: true, filters });
      const loss = await engine.evaluateDataLoss({ migrationsList: list, schema, filters });
      return { up: sql(up.stdout), down: sql(down.stdout), warnings: loss.warnings.map((w) => w.message), unexecutable: loss.unexecutableSteps.map((w) => w.message) };
    } catch {
      return { up: sql(up.stdout), down: sql(down.stdout), warnings: 'skipped', unexecutable: [] };
    }
  });
}

/** A destructive schema.prisma: a table with a row dropped, a column with data dropped, a required column added to a table with a row. */
async function destructiveSchema(dir: string): Promise<void> {
  const file = join(dir, 'prisma', 'schema.prisma');
  const text = (await readFile(file, 'utf8'))
    .replace(/model BookingRequest \{[\s\S]*?\n\}\n/, '')
    .replace(/  phone_number  String\n/, '')
    .replace(/  hashed_password String\n/, '  hashed_password String\n  nickname        String\n');
  await writeFile(file, text);
}

/**
 * An additive schema.prisma: a model added, a nullable column added (no data-loss warning: createMigration's script is
 * used), and the model of the test's own migration `table` (`"id" INTEGER` primary key) kept.
 */
async function additiveSchema(dir: string, table: string): Promise<void> {
  const file = join(dir, 'prisma', 'schema.prisma');
  const text = (await readFile(file, 'utf8')).replace(/  hashed_password String\n/, '  hashed_password String\n  nickname        String? @db.VarChar(40)\n');
  const own = `model OwnTable {\n  id Int @id\n\n  @@map("${table}")\n}\n`;
  await writeFile(file, `${text}\n${own}\nmodel ReviewNote {\n  id   Int    @id @default(autoincrement())\n  body String\n\n  @@map("review_notes")\n}\n`);
}

/** Whether createMigration, after the data-loss check, gives `diff`'s up script (a string) or declines (null). */
async function upFromCheckedHistory(db: Db, open: OpenProject): Promise<{ fromCheck: string | null; fromDiff: string }> {
  const { project, folder } = open;
  const input = { migrationsList: migrationList(project, folder), schema: { files: project.schemaFiles }, filters: projectFilter(project) };
  const loss = dataLossCheck(db);
  return withSchemaEngine(loss.db, withConfigOnlySchema(project), async (engine) => {
    await loss.evaluate(engine, input, true);
    const fromCheck = await upScriptFromCheckedHistory(engine, input);
    const fromDiff = await engine.diff({ from: { tag: 'migrations', ...input.migrationsList }, to: { tag: 'schemaDatamodel', ...input.schema }, script: true, exitCode: null, filters: input.filters });
    return { fromCheck, fromDiff: fromDiff.stdout ?? '' };
  });
}

describe('godwit new, fast paths', () => {
  it('gives the answer of the plain path (up, down, warnings, unexecutable steps): cache off, cold, warm, and behind the head', async () => {
    const { db, project } = fresh();
    // A migration no other test has: this test's shadow caches are its own, so the first cached call is cold.
    const token = randomBytes(5).toString('hex');
    await addMigration(project.dir, '20270101000000_unique', `CREATE TABLE "unique_${token}" ("id" INTEGER);\n`);
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await sqlOn(db.url, `INSERT INTO users (email, hashed_password, updated_at) VALUES ('a@example.com', 'x', now())`);
    await sqlOn(db.url, `INSERT INTO patients (email, first_name, last_name, date_of_birth, phone_number) VALUES ('p@example.com', 'P', 'Q', '2000-01-01', '555')`);
    await sqlOn(db.url, `INSERT INTO booking_requests (address, duration, subject, requested_by) VALUES ('{}', 30, 's', 'r')`);
    await destructiveSchema(project.dir);
    const { open: edited } = await projectOn(project.dir, db.url);

    const expected = await onEnv(env, (conn) => reference(conn, edited));
    // The case must exercise every part of the answer.
    expect(expected.up).toContain('DROP TABLE "booking_requests"');
    expect(expected.warnings).not.toBe('skipped');
    expect((expected.warnings as string[]).join(' ')).toMatch(/booking_requests/);
    expect((expected.warnings as string[]).join(' ')).toMatch(/phone_number/);
    expect(expected.unexecutable.join(' ')).toMatch(/nickname/);

    const make = (shadowCache: boolean) => onEnv(env, (conn) => createMigration(conn, edited.project, edited.folder, 'destructive', { write: false, shadowCache }));
    const off = await make(false);
    const cold = await make(true);
    const warm = await make(true);
    expect([off?.cache, cold?.cache, warm?.cache]).toEqual(['off', 'miss', 'hit']);
    for (const r of [off, cold, warm]) {
      expect(comparable(r)).toEqual({ up: expected.up, down: expected.down, warnings: expected.warnings, unexecutable: expected.unexecutable });
    }

    // Behind the head: Prisma has nothing to weigh, and `new` says the check was skipped, cached or not.
    await addMigration(project.dir, '20270101000100_pending', 'CREATE TABLE "pending_one" ("id" INTEGER);\n');
    const { open: behind } = await projectOn(project.dir, db.url);
    const behindExpected = await onEnv(env, (conn) => reference(conn, behind));
    expect(behindExpected.warnings).toBe('skipped');
    const makeBehind = (shadowCache: boolean) => onEnv(env, (conn) => createMigration(conn, behind.project, behind.folder, 'destructive', { write: false, shadowCache }));
    for (const r of [await makeBehind(false), await makeBehind(true), await makeBehind(true)]) {
      expect({ ...comparable(r), warnings: undefined }).toEqual({ up: behindExpected.up, down: behindExpected.down, unexecutable: [], warnings: undefined });
      expect(r?.warnings).toHaveLength(1);
      expect(r?.warnings[0]).toMatch(/data-loss check was skipped/);
    }
  });

  it('an additive change takes its up script from the data-loss check (createMigration), the same as the plain path; a destructive one does not', async () => {
    const { db, project } = fresh();
    const token = randomBytes(5).toString('hex');
    await addMigration(project.dir, '20270101000000_unique', `CREATE TABLE "unique_${token}" ("id" INTEGER NOT NULL, CONSTRAINT "unique_${token}_pkey" PRIMARY KEY ("id"));\n`);
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await sqlOn(db.url, `INSERT INTO users (email, hashed_password, updated_at) VALUES ('a@example.com', 'x', now())`);
    await additiveSchema(project.dir, `unique_${token}`);
    const { open: edited } = await projectOn(project.dir, db.url);

    const direct = await onEnv(env, (conn) => upFromCheckedHistory(conn, edited));
    expect(direct.fromDiff).toContain('CREATE TABLE "review_notes"');
    expect(direct.fromCheck).toBe(direct.fromDiff);

    const expected = await onEnv(env, (conn) => reference(conn, edited));
    expect(expected.up).toContain('ADD COLUMN');
    expect(expected.up).not.toContain('DROP');
    expect(expected.warnings).toEqual([]);
    const make = (shadowCache: boolean) => onEnv(env, (conn) => createMigration(conn, edited.project, edited.folder, 'additive', { write: false, shadowCache }));
    // Cold, warm, and warm again (the cache's remembered reads sent ahead).
    const runs = [await make(false), await make(true), await make(true), await make(true)];
    expect(runs.map((r) => r?.cache)).toEqual(['off', 'miss', 'hit', 'hit']);
    for (const r of runs) {
      expect(comparable(r)).toEqual({ up: expected.up, down: expected.down, warnings: expected.warnings, unexecutable: expected.unexecutable });
    }

    // Destructive (a table dropped): createMigration heads its script with warnings, so it is not `diff`'s script.
    const file = join(project.dir, 'prisma', 'schema.prisma');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/model BookingRequest \{[\s\S]*?\n\}\n/, ''));
    const { open: destructive } = await projectOn(project.dir, db.url);
    const declined = await onEnv(env, (conn) => upFromCheckedHistory(conn, destructive));
    expect(declined.fromDiff).toContain('DROP TABLE "booking_requests"');
    expect(declined.fromCheck).toBeNull();
  });
});
