import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../sql/split-statements.ts';
import { analyzeSql } from './analyze-plan.ts';
import { riskOf } from './risk.ts';
import type { RelationStats } from './types.ts';

beforeAll(() => loadSqlParser());

const one = async (sql: string, serverVersion?: number) => (await analyzeSql(sql, { serverVersion }))[0]!;

describe('static analysis (no environment)', () => {
  it('takes no lock on a WITH query\'s name, only on the tables it reads and writes', async () => {
    const a = await one(`WITH entries_to_keep AS (SELECT DISTINCT ON ("accountId") id FROM "AccountBalance"),
      entries_to_delete AS (SELECT id FROM "AccountBalance" WHERE id NOT IN (SELECT id FROM entries_to_keep))
      DELETE FROM "AccountBalance" WHERE id IN (SELECT id FROM entries_to_delete)`);
    expect(a.locks.map((l) => `${l.relation} ${l.mode}`)).toEqual(['AccountBalance RowExclusiveLock']);
    // A schema-qualified name is a table even when a WITH query has its name.
    const b = await one('WITH t AS (SELECT 1) SELECT * FROM public.t, t');
    expect(b.locks.map((l) => l.relation)).toEqual(['public.t']);
  });

  it('ADD COLUMN with a constant default rewrites before PostgreSQL 11 only; a volatile one always', async () => {
    expect((await one('ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0', 10)).rewrite).toBe(true);
    expect((await one('ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0', 11)).rewrite).toBe(false);
    expect((await one('ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()')).rewrite).toBe(false);
    expect((await one('ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()')).rewrite).toBe(true);
    const unknown = await one('ALTER TABLE t ADD COLUMN c text DEFAULT my_func()');
    expect(unknown.rewrite).toBe(true);
    expect(unknown.warnings.join(' ')).toContain('assumed volatile: my_func()');
  });

  it('ALTER COLUMN TYPE follows the model of earlier statements, and assumes a rewrite when the old type is unknown', async () => {
    const [, widen, text, narrow, bigint] = await analyzeSql(`CREATE TABLE t (a varchar(10), b int);
      ALTER TABLE t ALTER COLUMN a TYPE varchar(20); ALTER TABLE t ALTER COLUMN a TYPE text;
      ALTER TABLE t ALTER COLUMN a TYPE varchar(5); ALTER TABLE t ALTER COLUMN b TYPE bigint;`);
    expect([widen!.rewrite, text!.rewrite, narrow!.rewrite, bigint!.rewrite]).toEqual([false, false, true, true]);
    const unknown = await one('ALTER TABLE elsewhere ALTER COLUMN a TYPE text');
    expect(unknown.rewrite).toBe(true);
    expect(unknown.warnings.join(' ')).toContain('current type is unknown');
  });

  it('DROP INDEX locks the table under the name a RENAME earlier in the batch gave it (formbricks)', async () => {
    const [, , drop] = await analyzeSql(`CREATE TABLE "Connector" (id text); CREATE INDEX "Connector_id_idx" ON "Connector" (id);
      ALTER TABLE "Connector" RENAME TO "FeedbackSource"; DROP INDEX "Connector_id_idx";`).then((r) => [r[0], r[1], r[3]]);
    expect(drop!.locks.map((l) => [l.relation, l.mode])).toEqual([['Connector_id_idx', 'AccessExclusiveLock'], ['FeedbackSource', 'AccessExclusiveLock']]);
  });

  it('lock levels that changed across versions: ATTACH PARTITION and ALTER INDEX RENAME before and after 12', async () => {
    const attach = 'ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)';
    expect((await one(attach, 11)).locks).toEqual([{ relation: 'p', mode: 'AccessExclusiveLock' }, { relation: 'c', mode: 'AccessExclusiveLock' }]);
    expect((await one(attach, 15)).locks).toEqual([{ relation: 'p', mode: 'ShareUpdateExclusiveLock' }, { relation: 'c', mode: 'AccessExclusiveLock' }]);
    expect((await one('ALTER INDEX i RENAME TO j', 11)).locks).toEqual([{ relation: 'i', mode: 'AccessExclusiveLock' }]);
  });

  it('a CHECK (col IS NOT NULL) validated earlier lets SET NOT NULL skip its scan (12+)', async () => {
    const script = `ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT t_a_nn; ALTER TABLE t ALTER COLUMN a SET NOT NULL;`;
    expect((await analyzeSql(script, { serverVersion: 15 }))[2]!.scan).toBe(false);
    expect((await analyzeSql(script, { serverVersion: 11 }))[2]!.scan).toBe(true);
    expect((await one('ALTER TABLE t ALTER COLUMN a SET NOT NULL')).advice.join(' ')).toContain('NOT VALID, then VALIDATE');
  });

  it('names the safer recipe: CONCURRENTLY, NOT VALID + VALIDATE, expand/contract', async () => {
    expect((await one('CREATE INDEX i ON t (a)')).advice.join(' ')).toContain('CREATE INDEX CONCURRENTLY');
    expect((await one('ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id)')).advice.join(' ')).toContain('NOT VALID');
    expect((await one('ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID')).advice.join(' ')).not.toContain('NOT VALID (instant)');
    expect((await one('ALTER TABLE t RENAME COLUMN a TO b')).advice.join(' ')).toContain('Expand/contract');
    expect((await one('DROP INDEX i')).warnings.join(' ')).toContain('table of index i is not known');
  });

  it('says a DO block or CALL is not seen into, instead of predicting no lock', async () => {
    const a = await one(`DO $$ BEGIN EXECUTE 'ALTER TABLE accounts ADD COLUMN note text'; END $$`);
    expect(a.locks).toEqual([]);
    expect(a.warnings.join(' ')).toMatch(/^A DO block runs procedural code this analysis cannot see into/);
    expect((await one('CALL refresh_everything()')).warnings.join(' ')).toMatch(/^CALL runs procedural code/);
  });

  it('warns where a script run as one transaction uses an enum value it adds (civitai: the run failed with 55P04)', async () => {
    const a = await analyzeSql(`ALTER TYPE "JobQueueType" ADD VALUE 'ImageScan';
INSERT INTO "JobQueue" ("type", "entityId") SELECT 'ImageScan', id FROM "Image";
INSERT INTO "Note" ("body") VALUES ('ImageScans');`);
    expect(a[0]!.warnings.join(' ')).not.toMatch(/in the same transaction/);
    expect(a[1]!.warnings[0]).toBe(`Uses 'ImageScan', which line 1 adds to its enum in the same transaction: PostgreSQL refuses a new enum value until it is committed ("unsafe use of new value"), so the migration fails. Put the ADD VALUE in a migration of its own, before this one.`);
    expect(a[2]!.warnings.join(' ')).not.toMatch(/in the same transaction/);
  });

  it('stays quiet about tables the plan itself creates', async () => {
    const [, index] = await analyzeSql('CREATE TABLE t (a int); CREATE UNIQUE INDEX i ON t (a);');
    expect(index!.locks).toEqual([{ relation: 't', mode: 'ShareLock', createdByPlan: true }]);
    expect([...index!.warnings, ...index!.advice]).toEqual([]);
  });
});

describe('risk rule', () => {
  const stats = (rows: number, opsPerSecond: number): RelationStats => ({ rows, sizeBytes: rows * 100, seqScan: 0, idxScan: 0, inserts: 0, updates: 0, deletes: 0, opsPerSecond });
  const lock = (mode: 'AccessExclusiveLock' | 'ShareLock' | 'ShareUpdateExclusiveLock', rows: number, ops: number) => [{ relation: 't', mode, stats: stats(rows, ops) }];

  it('grows with lock mode × size × activity', () => {
    expect(riskOf({ locks: lock('AccessExclusiveLock', 5_000_000, 0), rewrite: true, scan: false }).risk).toBe('high');
    expect(riskOf({ locks: lock('ShareLock', 50_000, 0), rewrite: false, scan: true }).risk).toBe('medium');
    expect(riskOf({ locks: lock('ShareLock', 50_000, 5), rewrite: false, scan: true }).risk).toBe('high');
    expect(riskOf({ locks: lock('AccessExclusiveLock', 100, 0), rewrite: false, scan: false }).risk).toBe('low');
    expect(riskOf({ locks: lock('AccessExclusiveLock', 100, 5), rewrite: false, scan: false }).risk).toBe('medium');
    expect(riskOf({ locks: lock('ShareUpdateExclusiveLock', 5_000_000, 50), rewrite: false, scan: true }).risk).toBe('low');
  });
});

describe('foreign key from a table the run creates (Prisma\'s CREATE TABLE then ADD CONSTRAINT)', () => {
  it('locks the existing referenced table but neither scans nor advises NOT VALID', async () => {
    const [, fk] = await analyzeSql('CREATE TABLE kids (parent_id int); ALTER TABLE kids ADD CONSTRAINT kids_fk FOREIGN KEY (parent_id) REFERENCES parents (id);');
    expect([...fk!.locks].sort((a, b) => a.relation.localeCompare(b.relation))).toEqual([{ relation: 'kids', mode: 'ShareRowExclusiveLock', createdByPlan: true }, { relation: 'parents', mode: 'ShareRowExclusiveLock' }]);
    expect(fk!.scan).toBe(false);
    expect(fk!.advice.join(' ')).not.toContain('NOT VALID');
  });
});
