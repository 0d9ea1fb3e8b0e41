import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, splitStatements, type SplitWork } from './split-statements.ts';
import { prepareScript } from './prepare-script.ts';

beforeAll(() => loadSqlParser());

describe('the text ERROR in a script', () => {
  // libpg-query 17.3.2 took any parse output containing "ERROR" for a parse error and lost the whole analysis.
  it('keeps the destructive warning after an enum with an ERROR value', () => {
    const script = prepareScript(`CREATE TYPE "S" AS ENUM ('OK','ERROR');\nDROP TABLE "A";`);
    expect(script.parseError).toBeNull();
    expect(script.unanalysed).toBe(false);
    expect(script.warnings.map((w) => `${w.line}:${w.operation}`)).toEqual(['2:DROP TABLE']);
  });

  it("sees CREATE INDEX CONCURRENTLY whose predicate compares with 'ERROR'", () => {
    const script = prepareScript(`CREATE INDEX CONCURRENTLY "i" ON "A"("s") WHERE "s"='ERROR';`);
    expect(script.nonTransactional).toEqual(['CREATE INDEX CONCURRENTLY']);
    expect(script.unanalysed).toBe(false);
  });

  it('splits scripts with ERROR in identifiers, comments and strings', () => {
    const { statements, parseError } = splitStatements(`-- ERROR here\nCREATE TABLE "ERROR" ("ERROR" text DEFAULT 'ERROR: x');\nDELETE FROM "ERROR";`);
    expect(parseError).toBeNull();
    expect(statements.map((s) => [s.line, Object.keys(s.node!)[0]])).toEqual([[2, 'CreateStmt'], [3, 'DeleteStmt']]);
    expect(prepareScript(`SELECT 'ERROR'; DELETE FROM "ERROR";`).warnings.map((w) => w.operation)).toEqual(['DELETE without WHERE']);
  });
});

describe('a script the parser refuses', () => {
  it('is unanalysed, with one short line saying why and where', () => {
    const script = prepareScript('SELECT 1;\n\nCREATE TABL x;\nDROP TABLE t;');
    expect(script.unanalysed).toBe(true);
    expect(script.parseError).toBe('syntax error at or near "TABL" (line 3)');
    expect(script.warnings).toEqual([]);
    expect(script.statements).toHaveLength(1);
  });

  it('counts error positions in characters, as PostgreSQL does, for lines after non-ASCII text', () => {
    expect(splitStatements("SELECT '😀 é';\nSELECT 'x\n';\nSELEC 1;").parseError).toBe('syntax error at or near "SELEC" (line 4)');
  });

  it('is unanalysed when it holds a NUL, which would end the parser\'s C string early', () => {
    const { statements, parseError } = splitStatements('SELECT 1;\nSELECT 2;\u0000DROP TABLE t;');
    expect(parseError).toBe('the script contains a NUL character (line 2)');
    expect(statements).toHaveLength(1);
    expect(prepareScript('SELECT 1;\u0000DROP TABLE t;').unanalysed).toBe(true);
  });

  it('is unanalysed, quickly, when too large for the parser', () => {
    const big = 'SELECT 1;\n'.repeat(1.7 * 2 ** 20) + 'DROP TABLE t;';
    const { statements, parseError } = splitStatements(big);
    expect(parseError).toBe('the script is too large to analyse (17.0 MB; the SQL parser takes up to 16 MB)');
    expect(statements).toHaveLength(1);
  });

  it('keeps an empty or blank script analysed, with no statements', () => {
    for (const sql of ['', ' \n', '-- only a comment\n']) {
      expect(splitStatements(sql)).toEqual({ statements: [], parseError: null });
      expect(prepareScript(sql).unanalysed).toBe(false);
    }
  });
});

describe('splitting cost', () => {
  const script = (n: number) => Array.from({ length: n }, (_, i) => `INSERT INTO "t" VALUES (${i}, 'é ${i}');\n-- row ${i}\n`).join('');

  it('grows linearly with the script: 8 times the statements, about 8 times the work', () => {
    const work = (n: number) => {
      const w: SplitWork = { units: 0 };
      const { statements } = splitStatements(script(n), w);
      expect(statements).toHaveLength(n);
      expect(statements.at(-1)!.line).toBe(2 * n - 1);
      return w.units;
    };
    const small = work(2_000);
    const large = work(16_000);
    expect(small).toBeGreaterThan(0);
    // Linear: the ratio is 8; rescanning from the start for each statement's line made it 64.
    expect(large / small).toBeGreaterThan(7);
    expect(large / small).toBeLessThan(9);
  });

  it('locates statements exactly after characters outside the BMP and CRLF line ends', () => {
    const { statements } = splitStatements("SELECT '😀😀';\r\n\r\n/* c */ SELECT 'é';\r\nSELECT 3");
    expect(statements.map((s) => [s.line, s.offset, s.text])).toEqual([
      [1, 0, "SELECT '😀😀'"],
      [3, 26, "SELECT 'é'"],
      [4, 39, 'SELECT 3'],
    ]);
  });
});
