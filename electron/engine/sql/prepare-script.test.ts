import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, splitStatements } from './split-statements.ts';
import { prepareScript } from './prepare-script.ts';

beforeAll(() => loadSqlParser());

describe('splitStatements', () => {
  it('keeps DO blocks, function bodies and strings with semicolons whole', () => {
    const sql = `-- a comment; with a semicolon
CREATE TABLE "a" (id int);
DO $$ BEGIN RAISE NOTICE 'x;y'; END $$;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1; ';
INSERT INTO "a" VALUES (1);`;
    const { statements, parseError } = splitStatements(sql);
    expect(parseError).toBeNull();
    expect(statements.map((s) => s.text)).toEqual([
      'CREATE TABLE "a" (id int)',
      "DO $$ BEGIN RAISE NOTICE 'x;y'; END $$",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1; '",
      'INSERT INTO "a" VALUES (1)',
    ]);
    expect(statements.map((s) => s.line)).toEqual([2, 3, 4, 5]);
  });

  it('slices by UTF-8 byte offsets, so non-ASCII text does not shift statements', () => {
    const sql = `COMMENT ON TABLE a IS 'Pâtisserie — ünïcödé';\nSELECT 'é';\n\n  SELECT 2`;
    const { statements } = splitStatements(sql);
    expect(statements.map((s) => s.text)).toEqual(["COMMENT ON TABLE a IS 'Pâtisserie — ünïcödé'", "SELECT 'é'", 'SELECT 2']);
    expect(statements.map((s) => s.line)).toEqual([1, 2, 4]);
  });

  it('returns the whole script as one piece with the parser error when it cannot parse', () => {
    const { statements, parseError } = splitStatements('CREATE TABL x;');
    expect(parseError).toMatch(/syntax error/);
    expect(statements).toHaveLength(1);
  });
});

describe('prepareScript', () => {
  it('finds statements PostgreSQL refuses inside a transaction', () => {
    const cases: [string, string][] = [
      ['CREATE INDEX CONCURRENTLY i ON t (a)', 'CREATE INDEX CONCURRENTLY'],
      ['DROP INDEX CONCURRENTLY i', 'DROP INDEX CONCURRENTLY'],
      ['REINDEX TABLE CONCURRENTLY t', 'REINDEX CONCURRENTLY'],
      ['VACUUM t', 'VACUUM'],
      ['CREATE DATABASE d', 'CREATE DATABASE'],
      ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM'],
    ];
    for (const [sql, reason] of cases) expect(prepareScript(`SELECT 1; ${sql};`).nonTransactional).toEqual([reason]);
    expect(prepareScript('CREATE INDEX i ON t (a); REINDEX TABLE t; ANALYZE t;').nonTransactional).toEqual([]);
  });

  it('does not mistake the word CONCURRENTLY in a string or comment for the real thing', () => {
    expect(prepareScript("-- CREATE INDEX CONCURRENTLY\nSELECT 'CREATE INDEX CONCURRENTLY x';").nonTransactional).toEqual([]);
  });

  it('flags destructive statements with their line', () => {
    const sql = `DROP TABLE t;
ALTER TABLE u DROP COLUMN c, ALTER COLUMN d TYPE bigint, ALTER COLUMN e SET NOT NULL;
ALTER TABLE u ALTER COLUMN f DROP DEFAULT, DROP CONSTRAINT k;
ALTER TABLE u ALTER COLUMN f SET DEFAULT 1;
TRUNCATE t;
DELETE FROM t;
DELETE FROM t WHERE id = 1;
UPDATE t SET a = 1;
UPDATE t SET a = 1 WHERE id = 2;
DROP SCHEMA s CASCADE;
DROP TYPE e;`;
    const warnings = prepareScript(sql).warnings.map((w) => `${w.line}:${w.operation}`);
    expect(warnings).toEqual([
      '1:DROP TABLE',
      '2:DROP COLUMN',
      '2:ALTER COLUMN TYPE',
      '2:SET NOT NULL',
      '5:TRUNCATE',
      '6:DELETE without WHERE',
      '8:UPDATE without WHERE',
      '10:DROP SCHEMA … CASCADE',
      '11:DROP TYPE',
    ]);
  });

  it('does not flag what loses no row (dropping a default, an index, a constraint)', () => {
    expect(prepareScript('ALTER TABLE u ALTER COLUMN f DROP DEFAULT, DROP CONSTRAINT k;\nDROP INDEX "u_f_idx";\nDROP INDEX CONCURRENTLY IF EXISTS i;').warnings).toEqual([]);
  });

  it('quotes the line of a multi-line ALTER TABLE that holds the operation', () => {
    const sql = `-- Prisma's layout
ALTER TABLE "Account" ALTER COLUMN "accountType" DROP NOT NULL,
ALTER COLUMN "type" TYPE TEXT,
DROP COLUMN "isDefault",
ALTER COLUMN "balance" SET NOT NULL;`;
    expect(prepareScript(sql).warnings.map((w) => `${w.line}:${w.operation}: ${w.statement}`)).toEqual([
      '3:ALTER COLUMN TYPE: ALTER COLUMN "type" TYPE TEXT,',
      '4:DROP COLUMN: DROP COLUMN "isDefault",',
      '5:SET NOT NULL: ALTER COLUMN "balance" SET NOT NULL',
    ]);
    expect(prepareScript('ALTER TABLE "t" DROP "x";').warnings.map((w) => `${w.line}:${w.statement}`)).toEqual(['1:ALTER TABLE "t" DROP "x"']);
  });

  it('treats a script whose only transaction control is plain BEGIN … COMMIT blocks as transactional, and nothing else', () => {
    const wrapped = prepareScript('BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n');
    expect(wrapped.nonTransactional).toEqual([]);
    expect(wrapped.ownTransaction).toEqual([{ at: 0, len: 5 }, { at: 32, len: 6 }]);
    // Prisma's re-creation of an enum, mid-file, between other statements; and two blocks.
    const prismaEnum = `ALTER TABLE "Survey" DROP COLUMN "closeOnDate";

-- AlterEnum
BEGIN;
CREATE TYPE "SurveyType_new" AS ENUM ('link', 'app');
ALTER TABLE "Survey" ALTER COLUMN "type" TYPE "SurveyType_new" USING ("type"::text::"SurveyType_new");
ALTER TYPE "SurveyType" RENAME TO "SurveyType_old";
ALTER TYPE "SurveyType_new" RENAME TO "SurveyType";
DROP TYPE "SurveyType_old";
COMMIT;

DROP TABLE "Insight";
`;
    for (const sql of [prismaEnum, 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;']) {
      const script = prepareScript(sql);
      expect(script.nonTransactional, sql).toEqual([]);
      expect(script.ownTransaction.map((r) => sql.slice(r.at, r.at + r.len)), sql).toEqual(sql === prismaEnum ? ['BEGIN', 'COMMIT'] : ['BEGIN', 'COMMIT', 'BEGIN', 'COMMIT']);
    }
    for (const sql of [
      'BEGIN ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE a (id int);\nCOMMIT;',
      'BEGIN;\nCREATE INDEX CONCURRENTLY i ON a (id);\nCOMMIT;',
      'CREATE TABLE a (id int);\nCOMMIT;',
      'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT AND CHAIN;',
      'BEGIN;\nCREATE TABLE a (id int);\nROLLBACK;',
      'BEGIN;\nCREATE TABLE a (id int);\nBEGIN;\nCOMMIT;',
      // A value added and committed before a block that may use it; a block that sets its isolation level.
      "ALTER TYPE \"E\" ADD VALUE 'x';\nBEGIN;\nUPDATE t SET e = 'x';\nCOMMIT;",
      'CREATE TABLE a (id int);\nBEGIN;\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE b (id int);\nCOMMIT;',
    ]) {
      expect(prepareScript(sql).ownTransaction, sql).toEqual([]);
      expect(prepareScript(sql).nonTransactional.length, sql).toBeGreaterThan(0);
    }
  });
});
