import type { LocalMigration } from '../migrations/read-folder.ts';
import { analyzeScripts } from '../analysis/analyze-plan.ts';
import type { StatementAnalysis } from '../analysis/types.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { prepareScript } from '../sql/prepare-script.ts';
import type { CheckFinding, CheckRule } from './types.ts';

/** A statement's first lines, enough for a reviewer to recognise it. */
function excerpt(text: string, lines = 3): string {
  const all = text.split('\n');
  return all.length > lines ? `${all.slice(0, lines).join('\n')}\n…` : text;
}

/** Only relations that exist before the migrations run matter: one created in the same deploy is empty and unused. */
const touchesExisting = (s: StatementAnalysis) => s.locks.length === 0 || s.locks.some((l) => !l.createdByPlan);

function ruleOf(s: StatementAnalysis): CheckRule {
  if (s.rewrite) return 'lint/rewrite';
  if (s.scan) return 'lint/scan';
  return 'lint/caution';
}

function statementFinding(name: string, s: StatementAnalysis): CheckFinding | null {
  if (!touchesExisting(s)) return null;
  const rule = ruleOf(s);
  if (rule === 'lint/caution' && !s.warnings.length) return null;
  const locked = s.locks.filter((l) => !l.createdByPlan).map((l) => `${l.relation} (${l.mode})`);
  const what = s.warnings.length ? s.warnings.join(' ') : `${rule === 'lint/rewrite' ? 'Rewrites' : 'Scans'} ${locked.join(', ')} while holding the lock.`;
  const advice = s.advice.length ? ` Advice: ${s.advice.join(' ')}` : '';
  return { rule, migration: name, file: 'migration.sql', line: s.line, message: `${what}${advice}`, sql: excerpt(s.text) };
}

/**
 * The statement analysis (locks, rewrites, scans, data-dependent failures) and the destructive-statement warnings of
 * the migrations' migration.sql files. Each group is analysed as one deploy, in order: a table created earlier in the
 * group counts as new.
 */
export async function lintMigrations(groups: LocalMigration[][]): Promise<CheckFinding[]> {
  await loadSqlParser();
  const out: CheckFinding[] = [];
  for (const group of groups) {
    const scripts = group.map((m) => ({ name: m.name, file: 'migration.sql' as const, script: prepareScript(m.upSql) }));
    const analysis = await analyzeScripts(scripts.map((s) => ({ name: s.name, file: s.file, statements: s.script.statements, autocommit: s.script.nonTransactional.length > 0 })));
    for (const [i, s] of scripts.entries()) {
      if (s.script.parseError) {
        out.push({ rule: 'lint/unparsable', migration: s.name, file: 'migration.sql', line: null, message: `The SQL parser could not read it: ${s.script.parseError}. Nothing in it was analysed.` });
        continue;
      }
      for (const st of analysis.migrations[i]!.statements) {
        const f = statementFinding(s.name, st);
        if (f) out.push(f);
      }
      for (const w of s.script.warnings) {
        out.push({ rule: 'lint/destructive', migration: s.name, file: 'migration.sql', line: w.line, message: `Destructive statement (${w.operation}): it can lose data or fail on existing rows; make sure it is intended.`, sql: w.statement });
      }
    }
  }
  return out.sort((a, b) => (a.migration ?? '').localeCompare(b.migration ?? '') || (a.line ?? 0) - (b.line ?? 0));
}
