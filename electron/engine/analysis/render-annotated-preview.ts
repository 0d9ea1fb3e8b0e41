import type { Plan } from '../apply/plan.ts';
import { renderPreview } from '../apply/render-preview.ts';
import type { SqlStatement } from '../sql/split-statements.ts';
import type { PreparedScript } from '../sql/prepare-script.ts';
import type { PlanAnalysis, RelationLock, StatementAnalysis } from './types.ts';

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function describeLock(lock: RelationLock): string {
  const facts: string[] = [];
  if (lock.createdByPlan) facts.push('created by this plan');
  else if (lock.stats) {
    facts.push(lock.stats.rows === null ? 'rows unknown' : `~${Math.round(lock.stats.rows)} rows`, formatBytes(lock.stats.sizeBytes));
    if (lock.stats.opsPerSecond !== null) facts.push(`${lock.stats.opsPerSecond.toFixed(2)} ops/s`);
  }
  return `${lock.relation} ${lock.mode}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/** `--` comment lines for one statement; single-line each, so the script stays valid SQL whatever the text holds. */
export function analysisComments(a: StatementAnalysis): string[] {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const head = [
    `locks: ${a.locks.length ? a.locks.map(describeLock).join(', ') : 'none on existing relations'}`,
    `rewrite: ${a.rewrite ? 'yes' : 'no'}`,
    `scan: ${a.scan ? 'yes' : 'no'}`,
  ];
  if (a.risk) head.push(`risk: ${a.risk}${a.riskReason ? ` (${a.riskReason})` : ''}`);
  return [`-- ${oneLine(head.join(' | '))}`, ...a.warnings.map((w) => `--   warning: ${oneLine(w)}`), ...a.advice.map((t) => `--   advice: ${oneLine(t)}`)];
}

/**
 * The script with the analysis as comments above each statement. Comments go at the start of the statement's line
 * when only whitespace precedes it there, else on a new line before it: never inside a statement or a literal,
 * because statement offsets come from the parser.
 */
export function annotateScript(sql: string, statements: SqlStatement[], analyses: StatementAnalysis[]): { text: string; statements: SqlStatement[] } {
  let out = '';
  let from = 0;
  // Where each statement now starts: Godwit's backup calls are woven in at these offsets (run-migration.ts weave).
  const moved: SqlStatement[] = [];
  let addedLines = 0;
  statements.forEach((stmt, i) => {
    const analysis = analyses[i];
    if (analysis) {
      const lineStart = sql.lastIndexOf('\n', stmt.offset - 1) + 1;
      const atLineStart = sql.slice(lineStart, stmt.offset).trim() === '' && lineStart >= from;
      const at = atLineStart ? lineStart : stmt.offset;
      const comments = analysisComments(analysis);
      out += sql.slice(from, at) + (atLineStart ? '' : '\n') + comments.join('\n') + '\n';
      from = at;
      addedLines += comments.length + (atLineStart ? 0 : 1);
      moved.push({ ...stmt, offset: out.length + (stmt.offset - at), line: stmt.line + addedLines });
    } else moved.push({ ...stmt, offset: out.length + (stmt.offset - from), line: stmt.line + addedLines });
  });
  return { text: out + sql.slice(from), statements: moved };
}

/** `godwit sql`'s text: the exact preview, with each statement's analysis as comments above it. */
export function renderAnnotatedPreview(plan: Plan, analysis: PlanAnalysis): string {
  const steps = plan.steps.map((step, i) => {
    const statements = analysis.migrations[i]?.statements ?? [];
    const annotated = annotateScript(step.sql, step.script.statements, statements);
    const sql = annotated.text;
    // The checksum stays the file's own: comments change only what is shown, not what is recorded. The statements
    // move with the comments, so Godwit's own calls (backups, restores) land where they do in what runs.
    const original = step.script;
    const script: PreparedScript = {
      statements: annotated.statements, parseError: original.parseError, unanalysed: original.unanalysed,
      nonTransactional: original.nonTransactional, warnings: original.warnings,
      // The script's own BEGIN and COMMIT, first and last statement, where the comments moved them.
      ownTransaction: original.ownTransaction.length
        ? [annotated.statements[0]!, annotated.statements[annotated.statements.length - 1]!].map((st) => ({ at: st.offset, len: st.text.length }))
        : [],
    };
    return { ...step, sql, script, migration: step.file === 'migration.sql' ? { ...step.migration, upSql: sql } : step.migration };
  });
  const source = analysis.environmentRead ? `statistics of ${plan.environment}` : 'no environment statistics';
  const note = plan.steps.length ? `-- Lock analysis for PostgreSQL ${analysis.serverVersion} (${source}); see README "Lock and rewrite analysis".\n` : '';
  return note + renderPreview({ ...plan, steps });
}
