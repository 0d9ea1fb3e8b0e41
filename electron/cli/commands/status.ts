import { relative } from 'node:path';
import type { Command } from 'commander';
import { describeError } from '../../engine/util/errors.ts';
import { withEnvironment } from '../../engine/project/open-project.ts';
import { environmentStatus, needsAttention, type EnvironmentStatus } from '../../engine/status/environment-status.ts';
import { readMigrationsFolder } from '../../engine/migrations/read-folder.ts';
import { LAST_USE, optionsOf, projectSettingsFromOptions, settledEnvironmentsFromOptions, withCommonOptions } from '../context.ts';
import { bold, cyan, dim, formatMs, formatTime, green, note, printJson, red, say, table, yellow } from '../output.ts';
import { driftCaveat } from '../../shared/drift-caveat.ts';

const STATE_COLOR: Record<string, (s: string) => string> = {
  applied: green, pending: yellow, 'rolled-back': yellow, failed: red, edited: red, 'missing-locally': red,
};

function render(s: EnvironmentStatus): string {
  const head = s.head ?? 'base (nothing applied)';
  const lock = s.protected ? ' [protected]' : '';
  const parts = [`${bold(s.environment)}${lock}  ${dim(s.location)}`, `  head: ${cyan(head)}`];
  const { applied, pending, failed, edited, missingLocally, rolledBack } = s.summary;
  const counts = [`${applied} applied`, `${pending + rolledBack} pending`];
  if (failed) counts.push(red(`${failed} failed`));
  if (edited) counts.push(red(`${edited} edited`));
  if (missingLocally) counts.push(red(`${missingLocally} missing locally`));
  parts.push(`  ${counts.join(', ')}`);
  if (s.runInProgress) {
    const r = s.runInProgress;
    parts.push(yellow(`  a migration run holds the lock: pid ${r.pid}${r.application ? ` (${r.application})` : ''}${r.since ? `, connected ${formatTime(r.since)}` : ''}; states change when it ends (a killed run's last migration may still commit)`));
  }
  if (s.migrations.length) {
    const rows = s.migrations.map((m) => [
      (STATE_COLOR[m.state] ?? String)(m.state),
      m.name,
      formatTime(m.appliedAt),
      formatMs(m.durationMs),
      m.local && !m.hasDownSql ? 'no down.sql' : '',
    ]);
    parts.push(table(['STATE', 'MIGRATION', 'APPLIED AT', 'TOOK', 'NOTE'], rows, '  '));
  } else {
    parts.push('  no migrations in the folder or the database');
  }
  if (s.summary.diverged) parts.push(red('  histories diverge: the database has migrations the folder lacks, and the reverse'));
  if (s.drift === null) parts.push(dim('  drift: not checked (add --drift)'));
  else if (!s.drift.drifted) parts.push(green('  drift: none — the live schema matches the applied migrations'));
  else {
    parts.push(red('  drift: the live schema differs from the applied migrations.'));
    const caveat = driftCaveat(s.summary);
    if (caveat) parts.push(yellow(`  ${caveat}`));
    parts.push(red('  SQL that would reconcile it:'), s.drift.reconcileSql!.replace(/^/gm, '    '));
  }
  return parts.join('\n');
}

export function registerStatus(program: Command): void {
  withCommonOptions(program.command('status'), { many: true })
    .description('Show every migration and its state in each environment (default: all environments).')
    .option('--json', 'print JSON: [{ environment, head, migrations: [{ name, state, appliedAt, durationMs, checksumOk }], drift }]')
    .option('--drift', 'also check drift: replay the applied migrations on a shadow database and diff with the live schema')
    .addHelpText('after', `
States: applied, pending, failed, rolled-back, edited (checksum differs), missing-locally (in the database only).
Exit code: 0 when every environment is at head and clean, 1 when any has pending, failed, edited or diverged
history (or drift, with --drift), 2 on error.

Examples:
  $ godwit status                       every environment in godwit.json
  $ godwit status --env prod --drift    one environment, with a drift check
  $ godwit --url postgresql://postgres@127.0.0.1/app status --json`)
    .action(async (_opts, cmd: Command) => {
      const opts = optionsOf<{ drift?: boolean }>(cmd);
      const { project } = await projectSettingsFromOptions(opts);
      // The folder is read while the environments connect and send their query (a thousand files take as long as
      // that); a folder that cannot be read is the command's error, reported below before anything is printed.
      const folder = readMigrationsFolder(project.migrationsDir, project.dir, { lazyDown: true });
      folder.catch(() => undefined);
      const open = { project, folder };
      // Environments are read side by side; one that cannot be resolved or read does not hide the others.
      const outcomes = settledEnvironmentsFromOptions(open, opts, true);
      const results = await Promise.all(
        outcomes.map((o) => (o.error ? Promise.reject(o.error) : withEnvironment(o.env, (db) => environmentStatus(open, o.env, db, { drift: opts.drift === true }), LAST_USE)).then(
          (status) => ({ status }),
          (err: unknown) => ({ env: o.name, location: o.location, err, error: describeError(err) }),
        )),
      );
      const read = await folder;
      // An empty history because the folder is not there is worth a line: a mistyped migrations.path looks the same.
      if (!read.exists) {
        const from = project.configPath ? ` (migrations.path in ${relative(process.cwd(), project.configPath) || project.configPath})` : '';
        note(yellow(`Note: the migrations folder ${relative(process.cwd(), read.dir) || '.'} does not exist${from}: no local migrations.`));
      }
      // With one environment, its error is the command's error (one line on stderr, exit 2).
      const only = results[0];
      if (results.length === 1 && only && 'err' in only) throw only.err;
      const statuses = results.flatMap((r) => ('status' in r ? [r.status] : []));
      const failed = results.flatMap((r) => ('err' in r ? [r] : []));
      if (opts.json) printJson(results.map((r) => ('status' in r ? r.status : { environment: r.env, location: r.location, error: r.error })));
      else say(results.map((r) => ('status' in r ? render(r.status) : `${bold(r.env)}  ${dim(r.location)}\n  ${red(`cannot read: ${r.error}`)}`)).join('\n\n'));
      // A database with a schema but no applied migration needs a baseline, not `up`: said as Prisma's P3005 does.
      for (const { environment: name, tablesWithoutHistory: tables } of statuses) {
        if (tables) note(yellow(`Note: ${name} has ${tables} table(s) but no applied migration. If these migrations built its schema (by hand, or prisma db push), baseline it: godwit resolve --applied NAME${name === 'url' ? ' --url …' : ` --env ${name}`} for each migration it already has; \`up\` would fail on the first CREATE.`));
      }
      for (const f of failed) note(`${red('Error:')} ${f.env}: ${f.error}`);
      if (failed.length) process.exitCode = 2;
      else if (statuses.some(needsAttention)) process.exitCode = 1;
    });
}
