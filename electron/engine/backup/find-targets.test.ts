import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser } from '../sql/split-statements.ts';
import { prepareScript } from '../sql/prepare-script.ts';
import { findBackupTargets, loadScanner } from './find-targets.ts';

beforeAll(async () => {
  await loadSqlParser();
  await loadScanner();
});

const targets = (sql: string) => findBackupTargets(prepareScript(sql)).map(({ statement: _s, ...t }) => t);

describe('what a migration destroys, from its parse tree', () => {
  it('finds DROP TABLE, TRUNCATE, DROP COLUMN and ALTER COLUMN TYPE, with the statement they belong to', () => {
    expect(targets(`CREATE TABLE t (id int);
DROP TABLE IF EXISTS a, "S"."B" CASCADE;
TRUNCATE c;
ALTER TABLE public.d DROP COLUMN x, ALTER COLUMN y TYPE varchar(20), ALTER COLUMN z TYPE bigint USING z::bigint;`)).toEqual([
      { statementIndex: 1, kind: 'drop-table', table: '"a"', column: null, newType: null, setColumns: [], rowsQuery: null, newColumns: [] },
      { statementIndex: 1, kind: 'drop-table', table: '"S"."B"', column: null, newType: null, setColumns: [], rowsQuery: null, newColumns: [] },
      { statementIndex: 2, kind: 'truncate', table: '"c"', column: null, newType: null, setColumns: [], rowsQuery: null, newColumns: [] },
      { statementIndex: 3, kind: 'drop-column', table: '"public"."d"', column: 'x', newType: null, setColumns: [], rowsQuery: null, newColumns: [] },
      { statementIndex: 3, kind: 'alter-type', table: '"public"."d"', column: 'y', newType: { name: 'varchar', typmod: 24 }, setColumns: [], rowsQuery: null, newColumns: [] },
      // A USING expression computes new values: always copied (no type to compare).
      { statementIndex: 3, kind: 'alter-type', table: '"public"."d"', column: 'z', newType: null, setColumns: [], rowsQuery: null, newColumns: [] },
    ]);
  });

  it('turns DELETE and UPDATE into a query of the rows they match: alias, USING/FROM, RETURNING, non-ASCII text', () => {
    const [del, upd, all, cte] = targets(`DELETE FROM people AS p USING teams t WHERE p.team = t.id AND t.name = 'Équipe (1)' RETURNING p.id;
UPDATE "people" SET name = (SELECT 'ü' WHERE true), score = 0 FROM teams WHERE teams.id = people.team;
UPDATE people SET score = 1;
WITH x AS (SELECT 1) DELETE FROM people WHERE id IN (SELECT * FROM x);`);
    expect(del).toMatchObject({ kind: 'delete', table: '"people"', rowsQuery: `SELECT "p".ctid FROM "people" AS "p", teams t WHERE p.team = t.id AND t.name = 'Équipe (1)'` });
    expect(upd).toMatchObject({ kind: 'update', setColumns: ['name', 'score'], rowsQuery: 'SELECT "people".ctid FROM "people", teams WHERE teams.id = people.team' });
    // No WHERE: every row.
    expect(all).toMatchObject({ kind: 'update', setColumns: ['score'], rowsQuery: null });
    // A WITH of SELECTs stays in front of the ctid query.
    expect(cte).toMatchObject({ kind: 'delete', rowsQuery: 'WITH x AS (SELECT 1) SELECT "people".ctid FROM "people" WHERE id IN (SELECT * FROM x)' });
  });

  it('copies nothing this migration created itself: a backfill of an added column, a table made and dropped', () => {
    expect(targets(`ALTER TABLE "E" ADD COLUMN "b" INTEGER;
UPDATE "E" SET "b" = mod("id", 7) WHERE "b" IS NULL;
UPDATE "E" SET "b" = 1, "old" = 2;
CREATE TABLE "tmp" (id int);
DELETE FROM "tmp";
DROP TABLE "tmp";
ALTER TABLE "E" DROP COLUMN "b", DROP COLUMN "kept";`)).toEqual([
      // Only the column that existed before the migration is put back.
      { statementIndex: 2, kind: 'update', table: '"E"', column: null, newType: null, setColumns: ['old'], rowsQuery: null, newColumns: ['b'] },
      { statementIndex: 6, kind: 'drop-column', table: '"E"', column: 'kept', newType: null, setColumns: [], rowsQuery: null, newColumns: ['b'] },
    ]);
  });

  it('sees a DELETE or UPDATE inside a WITH, keeps a trailing comment out of harm, and marks rows it cannot tell', () => {
    const [moved, cteUpdate, topDelete, current] = targets(`WITH moved AS (DELETE FROM "Event" WHERE "old" RETURNING *) INSERT INTO "Archive" SELECT * FROM moved;
WITH w AS (UPDATE "Log" SET n = 0 RETURNING id) DELETE FROM "Log" WHERE id IN (SELECT id FROM w) -- old entries
;
DELETE FROM "Log" WHERE CURRENT OF c;`);
    expect(moved).toMatchObject({ statementIndex: 0, kind: 'delete', table: '"Event"', rowsQuery: '' });
    // A WITH that writes is not run twice: the top DELETE's rows cannot be told; the UPDATE inside is seen too.
    expect(cteUpdate).toMatchObject({ statementIndex: 1, kind: 'update', table: '"Log"', setColumns: ['n'], rowsQuery: '' });
    expect(topDelete).toMatchObject({ statementIndex: 1, kind: 'delete', table: '"Log"', rowsQuery: '' });
    expect(targets('DELETE FROM "Log" WHERE "n" > 5 -- old entries\n;')[0]!.rowsQuery).toBe('SELECT "Log".ctid FROM "Log" WHERE "n" > 5 -- old entries');
    expect(current).toMatchObject({ statementIndex: 2, kind: 'delete', rowsQuery: '' });
  });

  it('finds nothing in an unparsable script or one that destroys nothing', () => {
    expect(targets('CREATE TABLE t (id int); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN x int;')).toEqual([]);
    expect(targets('DROP TABLE t; this is not sql;')).toEqual([]);
  });
});
