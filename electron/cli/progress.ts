import type { ProgressEvent, RunReport } from '../engine/index.ts';
import { outcomeOf, failurePlace, type StatementFailure } from '../engine/apply/migration-failure.ts';
import type { LockRetry } from '../engine/apply/execute-steps.ts';
import { describeBlocker } from '../engine/lock/blockers.ts';
import { formatMs, green, note, red, yellow } from './output.ts';

/** One line per migration on stderr: "[2/8] ↑ name … ok (12 ms)", the duration being that migration's own. */
export function printProgress(event: ProgressEvent): void {
  const arrow = event.direction === 'up' ? '↑' : '↓';
  const prefix = `  [${event.index}/${event.total}] ${arrow} ${event.name}`;
  if (event.type === 'start') return;
  if (event.type === 'done') note(`${prefix} ${green('ok')} (${formatMs(event.durationMs)})${event.kept ? `\n    ${yellow(`RESTORE kept: ${event.kept}.`)}` : ''}`);
  else note(`${prefix} ${red('FAILED')}`);
}

/** "[3/8] name: lock timeout, rolled back; blocked by pid 42 (…); attempt 2/3 in 1 s" */
export function printLockRetry(event: { name: string; index: number; total: number } & LockRetry): void {
  const who = event.blockers.length ? `blocked by ${event.blockers.map(describeBlocker).join('; ')}` : 'blocker not seen';
  note(yellow(`  [${event.index}/${event.total}] ${event.name}: lock timeout, rolled back (${who}); attempt ${event.attempt}/${event.attempts} in ${formatMs(event.waitMs)}`));
}

export function describeFailure(f: StatementFailure): string {
  const lines = f.statementIndex > 0
    ? [`  ${f.file} statement ${f.statementIndex}, line ${f.line}:`, ...f.statement.split('\n').slice(0, 12).map((l) => `    ${l}`)]
    : [`  ${f.file} failed ${failurePlace(f)}.`];
  lines.push(`  PostgreSQL: ${f.error.message}${f.error.code ? ` (SQLSTATE ${f.error.code})` : ''}`);
  if (f.error.detail) lines.push(`  Detail: ${f.error.detail}`);
  if (f.error.hint) lines.push(`  Hint: ${f.error.hint}`);
  lines.push(`  ${outcomeOf(f)}`);
  return lines.join('\n');
}

export function reportJson(report: RunReport): unknown {
  return { ...report, completed: report.completed.map((c) => ({ name: c.name, durationMs: Math.round(c.durationMs), ...(c.kept ? { kept: c.kept } : {}) })), durationMs: Math.round(report.durationMs) };
}
