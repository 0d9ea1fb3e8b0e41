import type { Command } from 'commander';
// Engine modules one by one, not its index, which would load every command's code (main.ts).
import { MigrationFailedError } from '../../engine/apply/migration-failure.ts';
import { rollback, upgrade, type ProgressEvent } from '../../engine/apply/run-plan.ts';
import { planFor } from '../../engine/apply/plan-for.ts';
import type { Plan } from '../../engine/apply/plan.ts';
import { withEnvironment } from '../../engine/project/with-environment.ts';
import { environmentsFromOptions, lockTimeoutMs, moveRequest, optionsOf, projectFromOptions, withCommonOptions, type CommonOptions } from '../context.ts';
import { confirmChange } from '../confirm.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { recordAudit } from '../../engine/audit/audit-log.ts';
import { describeFailure, printLockRetry, printProgress, reportJson } from '../progress.ts';
import { bold, cyan, note, printJson, say, yellow } from '../output.ts';
import { RunInterruptedError } from '../../engine/apply/interrupt.ts';
import { parseDurationMs, parseWholeNumber, type SessionLimits } from '../../engine/lock/session-limits.ts';
import { refuseWhileBlocked } from '../../engine/preflight/preflight.ts';
import { assertBackupChoices, NO_BACKUP } from '../../engine/backup/plan-backups.ts';
import { backupSummary, printBackupEvent, printBackupPlan } from './backups.ts';

interface MoveOptions extends CommonOptions {
  to?: string;
  steps?: string;
  base?: boolean;
  ddlLockTimeout?: string;
  statementTimeout?: string;
  lockAttempts?: string;
  ignoreBlockers?: boolean;
  /** commander's --no-backup / --no-restore: false when given. */
  backup?: boolean;
  restore?: boolean;
  allowLargeBackup?: boolean;
}

/** --ddl-lock-timeout, --statement-timeout and --lock-attempts, over the environment's godwit.json settings. */
function limitsFromOptions(opts: MoveOptions): Partial<SessionLimits> {
  return {
    lockTimeoutMs: opts.ddlLockTimeout === undefined ? undefined : parseDurationMs(opts.ddlLockTimeout, '--ddl-lock-timeout'),
    statementTimeoutMs: opts.statementTimeout === undefined ? undefined : parseDurationMs(opts.statementTimeout, '--statement-timeout'),
    lockAttempts: opts.lockAttempts === undefined ? undefined : parseWholeNumber(opts.lockAttempts, '--lock-attempts'),
  } as Partial<SessionLimits>;
}

/**
 * Ctrl+C (SIGINT) or SIGTERM during a run aborts it: the engine cancels the running statement, waits for its
 * transaction's outcome and writes the audit row; the command then says what is true and exits 130. A second
 * signal exits at once.
 */
function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      note(`${name} again: exiting without waiting; the server decides the running statement's outcome (see godwit status).`);
      process.exit(130);
    }
    note(yellow(`${name}: cancelling the running statement and waiting for its outcome (press Ctrl+C again to exit at once)…`));
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function move(direction: 'up' | 'down', cmd: Command): Promise<void> {
  const opts = optionsOf<MoveOptions>(cmd);
  const req = moveRequest(direction, opts);
  const limits = limitsFromOptions(opts);
  const open = await projectFromOptions(opts);
  const [env] = environmentsFromOptions(open, opts);
  const verb = direction === 'up' ? 'apply' : 'roll back';
  await withEnvironment(env!, async (db) => {
    let confirm = opts.confirm;
    // Backups (engine/backup): --no-backup, --no-restore; a size over backupLimit is accepted by the confirmation.
    const backup = { noBackup: opts.backup === false, noRestore: opts.restore === false, allowLargeBackup: opts.allowLargeBackup === true };
    let backupShown = false;
    // Asking first needs the plan (what will run, its warnings); with --yes on an unprotected environment the plan
    // made under the migration lock is the only one needed.
    // A refused run goes to the audit trail too (README, "Audit trail"): who tried what, and why it did not run.
    const audited = async <T>(migrations: string[], gate: () => Promise<T>): Promise<T> => {
      try {
        return await gate();
      } catch (err) {
        if (err instanceof GodwitError && (err.code === 'confirmation-required' || err.code === 'cancelled')) {
          await recordAudit(db, { environment: env!.name, action: direction, migrations, result: 'failed', error: `refused: ${err.message}`, durationMs: 0 }).catch(() => undefined);
        }
        throw err;
      }
    };
    if (!opts.yes || env!.protected) {
      // --yes on a protected environment without its name: refused before planning, not after a page of plan.
      if (opts.yes && env!.protected && opts.confirm !== env!.name) {
        const wrong = opts.confirm !== undefined ? ` --confirm ${opts.confirm} is not its name:` : '';
        await audited([], async () => {
          throw new GodwitError('confirmation-required', `${env!.name} is protected:${wrong} to ${direction === 'up' ? 'upgrade it' : 'roll it back'}, pass --yes --confirm ${env!.name}.`);
        });
      }
      const plan = await planFor(open, env!, db, req);
      if (plan.steps.length === 0) {
        if (opts.json) printJson({ environment: env!.name, direction, completed: [], failure: null, headAfter: plan.headAfter });
        else say(`Nothing to ${verb} in ${env!.name}; it is at ${plan.headAfter ?? 'base'}.`);
        return;
      }
      const warnings = plan.steps.reduce((n, s) => n + s.script.warnings.length, 0);
      for (const s of plan.steps) if (s.backup) s.backup.noRestore = backup.noRestore;
      if (backup.noBackup) for (const s of plan.steps) if (s.backup) s.backup.skipped = NO_BACKUP;
      printBackupPlan(plan);
      backupShown = true;
      const sized = backupSummary(plan, env!, backup.noBackup);
      // Said before asking: a rollback that cannot restore needs --no-restore; a large backup is asked about below.
      assertBackupChoices(plan, env!, { ...backup, allowLargeBackup: true });
      if (sized.overLimit && opts.yes && !backup.allowLargeBackup) assertBackupChoices(plan, env!, backup);
      if (sized.overLimit && !opts.yes) backup.allowLargeBackup = true; // the question below names the size
      const summary = `${verb} ${plan.steps.length} migration(s) ${direction === 'up' ? 'to' : 'in'} ${env!.name}${warnings ? ` (${warnings} destructive statement(s); see godwit sql)` : ''}${sized.text}`;
      // A protected environment: refused while a session blocks what the plan needs (engine/preflight), before asking.
      await refuseWhileBlocked(db, env!, plan, { ignoreBlockers: opts.ignoreBlockers });
      confirm = await audited(plan.steps.map((s) => s.name), () => confirmChange(env!, opts, summary, plan.steps.some((s) => s.script.unanalysed)));
    }
    const onPlan = (plan: Plan) => {
      if (!plan.steps.length) return;
      note(`${direction === 'up' ? 'Upgrading' : 'Rolling back'} ${bold(env!.name)} (${env!.display}): ${plan.steps.length} migration(s)`);
      for (const s of plan.steps) if (s.script.nonTransactional.length) note(yellow(`  ${s.name} runs outside a transaction (${s.script.nonTransactional.join(', ')})`));
      if (!backupShown) printBackupPlan(plan);
    };
    const ctx = { db, env: env!, folder: open.folder };
    const signals = abortOnSignals();
    // Counted for the sentence a failure ends with: the run's earlier migrations stay done.
    const done: string[] = [];
    const onProgress = (event: ProgressEvent) => {
      if (event.type === 'done') done.push(event.name);
      printProgress(event);
    };
    const runOpts = { confirm, lockTimeoutMs: lockTimeoutMs(opts), limits, onProgress, onLockRetry: printLockRetry, onPlan, signal: signals.signal, backup, onBackupEvent: printBackupEvent };
    try {
      const report = direction === 'up' ? await upgrade(ctx, { ...runOpts, to: req.direction === 'up' ? req.to : undefined }) : await rollback(ctx, { ...runOpts, ...req });
      if (opts.json) printJson(reportJson(report));
      else if (report.completed.length === 0) say(`Nothing to ${verb} in ${env!.name}; it is at ${report.headAfter ?? 'base'}.`);
      else say(`${env!.name} is now at ${cyan(report.headAfter ?? 'base')} (${report.completed.length} migration(s) ${direction === 'up' ? 'applied' : 'rolled back'}).`);
    } catch (err) {
      if (err instanceof RunInterruptedError) {
        // Not an error of the command: the user stopped it. One sentence of what is true, exit 130 (128 + SIGINT).
        if (opts.json) printJson({ environment: env!.name, direction, interrupted: err.message });
        note(err.message);
        process.exitCode = 130;
        return;
      }
      if (err instanceof MigrationFailedError) {
        if (opts.json) printJson({ environment: env!.name, direction, failure: err.failure, completed: done });
        note(describeFailure(err.failure));
        if (done.length) {
          const at = direction === 'up' ? done.at(-1)! : err.failure.rolledBack ? err.failure.migration : undefined;
          note(`${done.length} migration(s) ${direction === 'up' ? 'applied' : 'rolled back'} before it stay ${direction === 'up' ? 'applied' : 'rolled back'}${at ? `: ${env!.name} is now at ${at}` : ''}.`);
        }
      }
      throw err;
    } finally {
      signals.dispose();
    }
  });
}

const COMMON_HELP = `
Protected environments, and runs that include a migration the SQL parser could not analyse, need the environment's
name: typed at the prompt, or --yes --confirm <environment name>; others ask y/N unless --yes. Without a terminal and
without --yes nothing runs. Godwit holds Prisma's migration lock (72707369) for the whole run, so it never migrates
at the same time as the Prisma CLI or another Godwit (--lock-timeout: how long to wait for that lock).

Every statement runs with PostgreSQL's lock_timeout (--ddl-lock-timeout, default 5 s; "lockTimeout" per environment
in godwit.json): a migration queued behind a long transaction holds the readers of its table for at most that long.
A migration that times out is rolled back (no history row) and tried again after 1 s, 2 s, … up to
--lock-attempts (default 3; "lockAttempts"); then the run stops with it still pending and names the session that
held the lock. --statement-timeout ("statementTimeout") bounds each statement too (default: the server's).
Ctrl+C (or SIGTERM) cancels the running statement, waits for its transaction's outcome, says what is now applied or
rolled back, writes the audit row and exits 130; a second Ctrl+C exits at once.`;

/** The options every moving command takes for locks and timeouts. */
function withRunOptions(cmd: Command): Command {
  return cmd
    .option('--lock-timeout <seconds>', 'how long to wait for Prisma\'s migration lock (default 10)')
    .option('--ddl-lock-timeout <seconds>', 'PostgreSQL lock_timeout for every statement: seconds, or 500ms/5s/2min (default 5 s)')
    .option('--ignore-blockers', 'run on a protected environment even while godwit preflight finds blockers')
    .option('--lock-attempts <n>', 'tries of a migration that hits the lock timeout (default 3)')
    .option('--statement-timeout <seconds>', 'PostgreSQL statement_timeout for every statement (default: the server\'s)');
}

export function registerUpDown(program: Command): void {
  withRunOptions(withCommonOptions(program.command('up')))
    .description('Apply pending migrations oldest first, each with its history row in one transaction.')
    .option('--to <migration>', 'stop after this migration (default: head)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--confirm <environment>', 'the environment\'s name, required with --yes on a protected environment')
    .option('--json', 'print the run report as JSON')
    .option('--no-backup', 'do not copy what destructive statements destroy (recorded in the audit trail)')
    .option('--allow-large-backup', 'with --yes: copy even above the environment\'s backupLimit')
    .addHelpText('after', `
Before a statement destroys data (DROP TABLE, DROP COLUMN, a narrowing ALTER COLUMN TYPE, TRUNCATE, DELETE, UPDATE)
Godwit copies what it destroys into schema godwit, in the migration's transaction; godwit down puts it back (see
godwit backups). Above the environment's "backupLimit" (default 1GB) it asks; --no-backup skips the copy.
A migration that fails is rolled back whole (schema and history unchanged) and the run stops; migrations before it
stay applied. Migrations with statements PostgreSQL refuses in a transaction (CREATE INDEX CONCURRENTLY, VACUUM, …)
run outside one; godwit sql says which.
${COMMON_HELP}

Examples:
  $ godwit up                                  dev to head, after a y/N prompt
  $ godwit up --env test --to 20250412090000_create_booking_requests --yes
  $ godwit up --env prod --yes --confirm prod`)
    .action((_o, cmd: Command) => move('up', cmd));

  withRunOptions(withCommonOptions(program.command('down')))
    .description('Roll back applied migrations newest first by running their down.sql (default: one step).')
    .option('--steps <n>', 'roll back the newest n migrations (default 1)')
    .option('--to <migration>', 'roll back everything applied after this migration; it stays applied')
    .option('--base', 'roll back every migration')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--confirm <environment>', 'the environment\'s name, required with --yes on a protected environment')
    .option('--json', 'print the run report as JSON')
    .option('--no-restore', 'do not restore backed-up data after down.sql (the backups are kept; see godwit backups)')
    .addHelpText('after', `
Each down.sql and the deletion of its history row commit in one transaction; the migration is pending again.
Data its migration destroyed is restored from its backup in that same transaction (rows reinserted, columns
refilled by primary key, updated values put back), then the backup is dropped. When that is impossible (no primary
key, a column whose type changed) the rollback says so before it runs and refuses without --no-restore.
A migration without down.sql stops the run before anything happens: generate one with godwit down-sql NAME.
${COMMON_HELP}

Examples:
  $ godwit down --yes                          undo dev's newest migration
  $ godwit down --steps 3 --env test --yes
  $ godwit down --base --env prod --yes --confirm prod`)
    .action((_o, cmd: Command) => move('down', cmd));
}
