import type { Db } from '../db/db.ts';
import type { Plan } from '../apply/plan.ts';
import { splitStatements, type SqlStatement } from '../sql/split-statements.ts';
import { analyzeStatement, namesIn } from './analyze-statement.ts';
import { readEnvironment } from './read-environment.ts';
import { riskOf } from './risk.ts';
import { SchemaModel } from './schema-model.ts';
import { newEnumValueUses } from './new-enum-values.ts';
import type { MigrationAnalysis, PlanAnalysis, StatementAnalysis } from './types.ts';

export const DEFAULT_SERVER_VERSION = 15;

export interface AnalyzeOptions {
  /** The environment to read statistics, catalog facts and the server version from (one query). */
  db?: Db | undefined;
  /** Server major version when no environment is read (default 15). */
  serverVersion?: number | undefined;
}

interface Script {
  name: string;
  file: 'migration.sql' | 'down.sql';
  statements: SqlStatement[];
  /** Its statements commit one by one (it runs outside a transaction), not as one transaction. */
  autocommit?: boolean | undefined;
}

/**
 * Analyses scripts in the order they run, on one schema model: each statement sees what the ones before it did.
 * With an environment, its catalog and statistics are read first (one query) and each lock gets rows, size,
 * activity and the statement a risk level.
 */
export async function analyzeScripts(scripts: Script[], opts: AnalyzeOptions = {}): Promise<PlanAnalysis> {
  const model = new SchemaModel();
  let version = opts.serverVersion ?? DEFAULT_SERVER_VERSION;
  if (opts.db) {
    const relations = new Set<string>();
    const functions = new Set<string>();
    for (const s of scripts) for (const stmt of s.statements) {
      const names = namesIn(stmt);
      names.relations.forEach((n) => relations.add(n));
      names.functions.forEach((n) => functions.add(n));
    }
    version = await readEnvironment(opts.db, model, [...relations], [...functions]);
  }
  const ctx = { model, version };
  const migrations: MigrationAnalysis[] = scripts.map((s) => {
    const unsafe = s.autocommit ? new Map<number, string>() : newEnumValueUses(s.statements);
    return {
      name: s.name,
      file: s.file,
      statements: s.statements.map((stmt, i): StatementAnalysis => {
        const analysis = analyzeStatement(stmt, ctx);
        if (unsafe.has(i)) analysis.warnings.unshift(unsafe.get(i)!);
        if (!opts.db) return analysis;
        for (const lock of analysis.locks) lock.stats = model.get(lock.relation)?.stats;
        const { risk, reason } = riskOf(analysis);
        return { ...analysis, risk, riskReason: reason };
      }),
    };
  });
  return { serverVersion: version, environmentRead: opts.db !== undefined, migrations };
}

/** The analysis of every step of a plan (the parser must be loaded: planFor does it). */
export function analyzePlan(plan: Plan, opts: AnalyzeOptions = {}): Promise<PlanAnalysis> {
  return analyzeScripts(plan.steps.map((s) => ({ name: s.name, file: s.file, statements: s.script.statements, autocommit: s.script.nonTransactional.length > 0 })), opts);
}

/** The analysis of one script on its own (a migration's detail, tests). */
export async function analyzeSql(sql: string, opts: AnalyzeOptions = {}): Promise<StatementAnalysis[]> {
  const { statements } = splitStatements(sql);
  const result = await analyzeScripts([{ name: '', file: 'migration.sql', statements }], opts);
  return result.migrations[0]!.statements;
}
