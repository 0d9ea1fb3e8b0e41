import type { Command } from 'commander';
import { withEnvironment } from '../../engine/project/open-project.ts';
import { currentPlan } from '../../engine/preflight/run-gate.ts';
import { isFinding, runPreflight } from '../../engine/preflight/preflight.ts';
import { describePreflightBlocker } from '../../engine/preflight/find-blockers.ts';
import type { DataCheck, PreflightReport } from '../../engine/preflight/types.ts';
import { parseDurationMs } from '../../engine/lock/session-limits.ts';
import { environmentsFromOptions, moveRequest, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { bold, dim, green, printJson, red, say, yellow } from '../output.ts';

interface PreflightOptions {
  to?: string;
  down?: boolean;
  steps?: string;
  base?: boolean;
  longTransaction?: string;
  idleInTransaction?: string;
  checkTimeout?: string;
}

const MARK: Record<DataCheck['status'], string> = { ok: '✓', violations: '✗', skipped: '-', error: '?', timeout: '?' };

function render(report: PreflightReport, where: string): void {
  say(`${bold('Pre-flight')} of ${bold(report.environment)} (${where}): ${report.migrations.length} ${report.direction === 'up' ? 'pending migration(s)' : 'migration(s) to roll back'}`);
  if (report.note) say(dim(report.note));
  say('');
  say(report.blockers.length ? red(`Blockers (${report.blockers.length}):`) : green('Blockers: none'));
  for (const b of report.blockers) say(`  ${describePreflightBlocker(b)}`);
  say('');
  say(`Data checks (${report.dataChecks.length}):`);
  for (const c of report.dataChecks) {
    const mark = c.status === 'ok' ? green(MARK.ok) : isFinding(c) ? red(MARK[c.status]) : dim(MARK[c.status]);
    const what = `${c.kind} ${c.table}${c.columns.length ? `(${c.columns.join(', ')})` : ''}`;
    say(`  ${mark} ${c.migration}:${c.line}  ${what}: ${c.detail}`);
    if (c.samples.length && c.status === 'violations') say(dim(`      e.g. ${c.samples.join(', ')}`));
  }
  if (!report.dataChecks.length) say(dim('  none: no pending statement constrains existing rows'));
  say('');
  const findings = report.dataChecks.filter(isFinding).length;
  say(report.clear ? green('Clear.') : yellow(`Findings: ${report.blockers.length} blocker(s), ${findings} data check(s).`));
}

export function registerPreflight(program: Command): void {
  withCommonOptions(program.command('preflight'))
    .description('Check an environment right before a run: sessions in the way (blockers) and existing rows a pending statement will fail on.')
    .option('--to <migration>', 'up: check the pending migrations up to this one (default: all); down: keep this one applied')
    .option('--down', 'check the rollback (down.sql) instead of the upgrade: the newest migration, or --steps, --to, --base')
    .option('--steps <n>', 'down: the newest n migrations (default 1)')
    .option('--base', 'down: every applied migration')
    .option('--long-transaction <seconds>', 'a transaction open longer than this is a blocker (default 60 s)')
    .option('--idle-in-transaction <seconds>', 'a session idle in a transaction longer than this is a blocker (default 5 s)')
    .option('--check-timeout <seconds>', 'statement_timeout of each data check (default 10 s)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Blockers: sessions of the database that hold or wait for a lock conflicting with one a pending statement needs
(PostgreSQL's lock conflict table over the statement analysis of godwit sql), transactions older than
--long-transaction, sessions idle in a transaction, pg_dump or autovacuum on an affected table; each with pid, user,
application, state, age and query. A run on a protected environment is refused while one is present, unless
--ignore-blockers.
Data checks, each in a READ ONLY transaction under --check-timeout: SET NOT NULL (rows with NULL), UNIQUE and unique
indexes (duplicate groups, with sample keys), FOREIGN KEY (orphan rows), CHECK (violating rows), ALTER COLUMN TYPE
(values that do not convert). Tables and columns the same batch creates are skipped.
Exit codes: 0 clear, 1 findings, 2 error.

Examples:
  $ godwit preflight --env prod
  $ godwit preflight --env prod --down --steps 2
  $ godwit preflight --env prod --json | jq '.blockers[] | {pid, reason}'`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<PreflightOptions>(cmd);
      const thresholds = {
        longTransactionMs: opts.longTransaction === undefined ? undefined : parseDurationMs(opts.longTransaction, '--long-transaction'),
        idleInTransactionMs: opts.idleInTransaction === undefined ? undefined : parseDurationMs(opts.idleInTransaction, '--idle-in-transaction'),
        checkTimeoutMs: opts.checkTimeout === undefined ? undefined : parseDurationMs(opts.checkTimeout, '--check-timeout'),
      };
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      if (!opts.down && (opts.steps !== undefined || opts.base)) throw new GodwitError('bad-options', '--steps and --base go with --down.');
      const req = moveRequest(opts.down ? 'down' : 'up', opts);
      const report = await withEnvironment(env!, async (db) => runPreflight(db, env!, await currentPlan(db, env!, open.folder, req), thresholds));
      if (opts.json) printJson(report);
      else render(report, env!.display);
      process.exitCode = report.clear ? 0 : 1;
    });
}
