import type { ProgressEvent, RunReport } from '../engine/index.ts';
import type { StatementFailure } from '../engine/apply/migration-failure.ts';
import { formatMs, green, note, red } from './output.ts';

/** One line per migration on stderr: "[2/8] ↑ name … ok (12 ms)". */
export function printProgress(event: ProgressEvent): void {
  const arrow = event.direction === 'up' ? '↑' : '↓';
  const prefix = `  [${event.index}/${event.total}] ${arrow} ${event.name}`;
  if (event.type === 'start') return;
  if (event.type === 'done') note(`${prefix} ${green('ok')} (${formatMs(event.durationMs)})`);
  else note(`${prefix} ${red('FAILED')}`);
}

export function describeFailure(f: StatementFailure): string {
  const lines = [
    `  ${f.file} statement ${f.statementIndex}, line ${f.line}:`,
    ...f.statement.split('\n').slice(0, 12).map((l) => `    ${l}`),
    `  PostgreSQL: ${f.error.message}${f.error.code ? ` (SQLSTATE ${f.error.code})` : ''}`,
  ];
  if (f.error.detail) lines.push(`  Detail: ${f.error.detail}`);
  if (f.error.hint) lines.push(`  Hint: ${f.error.hint}`);
  lines.push(f.rolledBack ? '  The migration was rolled back; the database is as it was before it.' : '  It ran outside a transaction: earlier statements stay applied, and the migration is marked failed.');
  return lines.join('\n');
}

export function reportJson(report: RunReport): unknown {
  return { ...report, completed: report.completed.map((c) => ({ name: c.name, durationMs: Math.round(c.durationMs) })), durationMs: Math.round(report.durationMs) };
}
