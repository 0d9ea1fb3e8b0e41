import type { Command } from 'commander';
import { describeError, readAudit, resolveMigration, withEnvironment, type AuditEntry } from '../../engine/index.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { LAST_USE, environmentsFromOptions, lockTimeoutMs, optionsOf, positiveInteger, projectFromOptions, settledEnvironmentsFromOptions, withCommonOptions } from '../context.ts';
import { confirmChange } from '../confirm.ts';
import { bold, formatMs, formatTime, note, printJson, red, say, table } from '../output.ts';

export function registerResolveAndLog(program: Command): void {
  withCommonOptions(program.command('resolve'))
    .description('Record how a failed migration was settled, as prisma migrate resolve does.')
    .option('--applied <migration>', 'you finished it by hand: mark it applied (also baselines a pending one)')
    .option('--rolled-back <migration>', 'you undid it by hand: mark the failed attempt rolled back')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--confirm <environment>', 'the environment\'s name, required with --yes on a protected environment')
    .option('--lock-timeout <seconds>', 'how long to wait for the migration lock (default 10)')
    .addHelpText('after', `
Examples:
  $ godwit resolve --rolled-back 20250405090000_create_patient_symptoms --yes
  $ godwit resolve --applied 20250301090000_create_users --env prod --yes --confirm prod`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<{ applied?: string; rolledBack?: string }>(cmd);
      if (!!opts.applied === !!opts.rolledBack) throw new GodwitError('bad-options', 'Give exactly one of --applied NAME and --rolled-back NAME.');
      const name = (opts.applied ?? opts.rolledBack)!;
      const as = opts.applied ? 'applied' : 'rolled-back';
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const confirm = await confirmChange(env!, opts, `mark ${name} ${as} in ${env!.name}`);
      await withEnvironment(env!, (db) => resolveMigration({ db, env: env!, folder: open.folder }, name, as, { confirm, lockTimeoutMs: lockTimeoutMs(opts) }));
      say(`Marked ${name} ${as} in ${env!.name}.`);
    });

  withCommonOptions(program.command('log'), { many: true })
    .description('Show the audit trail: who ran up, down and resolve, when, where, and how it ended.')
    .option('--limit <n>', 'at most n entries per environment (default 50)')
    .option('--json', 'print the entries as JSON')
    .addHelpText('after', `
The trail lives in each database's godwit.audit_log table (a schema Prisma ignores), or in a local file under the
data directory when the role may not create it.

Examples:
  $ godwit log --env prod
  $ godwit log --all --json`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<{ limit?: string }>(cmd);
      const limit = positiveInteger(opts.limit, '--limit') ?? 50;
      const open = await projectFromOptions(opts);
      const entries: AuditEntry[] = [];
      // One environment that cannot be resolved or read is reported by name; the others' trails still show.
      const outcomes = settledEnvironmentsFromOptions(open, opts, true);
      const failed: { env: string; err: unknown }[] = [];
      for (const o of outcomes) {
        try {
          if (o.error) throw o.error;
          entries.push(...(await withEnvironment(o.env, (db) => readAudit(db, limit), LAST_USE)));
        } catch (err) {
          failed.push({ env: o.name, err });
        }
      }
      if (outcomes.length === 1 && failed[0]) throw failed[0].err;
      for (const f of failed) note(`${red('Error:')} ${f.env}: ${describeError(f.err)}`);
      if (failed.length) process.exitCode = 2;
      if (opts.json) return printJson(entries);
      if (!entries.length) return say('No audit entries yet.');
      say(table(['WHEN', 'ENV', 'WHO', 'ACTION', 'RESULT', 'TOOK', 'MIGRATIONS'], entries.map((e) => [
        formatTime(e.at), e.environment, `${e.osUser}@${e.host}`, e.action, e.result === 'failed' ? red(e.result) : e.result, formatMs(e.durationMs),
        e.migrations.length > 2 ? `${e.migrations[0]} … ${e.migrations[e.migrations.length - 1]} (${e.migrations.length})` : e.migrations.join(', '),
      ])));
      const failures = entries.filter((e) => e.error);
      for (const e of failures.slice(0, 5)) say(`${bold(formatTime(e.at))} ${e.environment}: ${e.error}`);
    });
}
