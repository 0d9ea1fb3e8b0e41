import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analysisCacheActive, saveAnalysisCache, scriptKey, useAnalysisCacheFile } from './analysis-cache.ts';
import { forgetPreparedScripts, prepareScript } from './prepare-script.ts';
import { loadSqlParser } from './split-statements.ts';
import { findBackupTargets, loadScanner } from '../backup/find-targets.ts';

const SCRIPTS = {
  plain: 'CREATE TABLE "a" ("id" SERIAL PRIMARY KEY, "name" TEXT);\nCREATE INDEX "a_name" ON "a"("name");\n',
  destructive: 'ALTER TABLE "a" DROP COLUMN "name";\nUPDATE "b" SET "x" = 1 WHERE "y" > 2;\nDELETE FROM "c";\n',
  concurrent: 'CREATE INDEX CONCURRENTLY "a_idx" ON "a"("id");\n',
  ownTransaction: 'BEGIN;\nDROP TABLE "old";\nCOMMIT;\n',
  refused: 'CREATE TABLE "a" (id int;\nDROP TABL "b";\n',
};

/** Everything a run asks of a script, as plain data. */
const answers = (sql: string) => {
  const s = prepareScript(sql);
  return { parseError: s.parseError, unanalysed: s.unanalysed, nonTransactional: s.nonTransactional, warnings: s.warnings, targets: s.unanalysed ? [] : findBackupTargets(s) };
};

/** A new process: nothing analysed in memory, records read from `file`. */
const newProcess = (file: string | null | undefined) => {
  forgetPreparedScripts();
  useAnalysisCacheFile(file);
};

describe('what parsing a script told an earlier run (the bundled CLI keeps it beside the bundle)', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    await loadSqlParser();
    await loadScanner();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    newProcess(null);
  });
  const fresh = () => {
    dir = mkdtempSync(join(tmpdir(), 'godwit-analysis-'));
    file = join(dir, 'script-analysis.json');
  };

  it('answers every question exactly as a parse does, for every kind of script', () => {
    fresh();
    newProcess(null);
    const parsed = Object.fromEntries(Object.entries(SCRIPTS).map(([k, sql]) => [k, answers(sql)]));
    expect(parsed.destructive!.targets.map((t) => t.kind)).toEqual(['drop-column', 'update', 'delete']);
    expect(parsed.concurrent!.nonTransactional).toEqual(['CREATE INDEX CONCURRENTLY']);
    expect(parsed.refused!.unanalysed).toBe(true);
    newProcess(file);
    for (const sql of Object.values(SCRIPTS)) answers(sql);
    saveAnalysisCache();
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toHaveLength(Object.keys(SCRIPTS).length);
    newProcess(file);
    const remembered = Object.fromEntries(Object.entries(SCRIPTS).map(([k, sql]) => [k, answers(sql)]));
    expect(remembered).toEqual(parsed);
  });

  it('is used: a record answers for its text, and an edited text is parsed afresh', () => {
    fresh();
    newProcess(file);
    answers(SCRIPTS.destructive);
    saveAnalysisCache();
    // Alter the stored answer: the next process believes it (so the record, not a parse, answered).
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    stored[scriptKey(SCRIPTS.destructive)].w[0][1] = 'MARKED';
    writeFileSync(file, JSON.stringify(stored));
    newProcess(file);
    expect(prepareScript(SCRIPTS.destructive).warnings[0]!.operation).toBe('MARKED');
    // One character more is another script: parsed, not looked up.
    expect(prepareScript(`${SCRIPTS.destructive} `).warnings[0]!.operation).toBe('DROP COLUMN');
  });

  it('ignores a damaged file, a damaged record or a damaged derived result, and answers by parsing', () => {
    fresh();
    newProcess(null);
    const truth = answers(SCRIPTS.destructive);
    for (const damaged of ['{"truncated":', 'null', `[${JSON.stringify(scriptKey(SCRIPTS.destructive))}]`]) {
      writeFileSync(file, damaged);
      newProcess(file);
      expect(answers(SCRIPTS.destructive)).toEqual(truth);
    }
    writeFileSync(file, JSON.stringify({ [scriptKey(SCRIPTS.destructive)]: { e: 3, n: 'x', w: [] } }));
    newProcess(file);
    expect(answers(SCRIPTS.destructive)).toEqual(truth);
    const record = { e: null, n: [], w: truth.warnings.map((w) => [w.line, w.operation, w.statement]), m: { 'backup-targets/1': [{ statementIndex: 'x' }] } };
    writeFileSync(file, JSON.stringify({ [scriptKey(SCRIPTS.destructive)]: record }));
    newProcess(file);
    expect(answers(SCRIPTS.destructive)).toEqual(truth);
  });

  it('is off in runs from source, and with GODWIT_ANALYSIS_CACHE=off in the bundle', () => {
    fresh();
    const key = Symbol.for('godwit.buildDir');
    const g = globalThis as Record<symbol, unknown>;
    try {
      newProcess(undefined);
      expect(analysisCacheActive()).toBe(false);
      g[key] = dir;
      newProcess(undefined);
      expect(analysisCacheActive()).toBe(true);
      process.env.GODWIT_ANALYSIS_CACHE = 'off';
      newProcess(undefined);
      expect(analysisCacheActive()).toBe(false);
    } finally {
      delete g[key];
      delete process.env.GODWIT_ANALYSIS_CACHE;
    }
  });
});
