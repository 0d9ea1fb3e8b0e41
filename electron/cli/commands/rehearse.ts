import type { Command } from 'commander';
import { withEnvironment } from '../../engine/project/open-project.ts';
import { rehearse } from '../../engine/rehearse/rehearse.ts';
import type { ObservedLock, RehearsalReport } from '../../engine/rehearse/types.ts';
import { parseWholeNumber } from '../../engine/lock/session-limits.ts';
import { environmentsFromOptions, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { bold, dim, formatMs, green, note, printJson, red, say, yellow } from '../output.ts';

const locks = (l: ObservedLock[]) => (l.length ? l.map((x) => `${x.relation} ${x.mode.replace(/Lock$/, '')}`).join(', ') : '-');

function render(r: RehearsalReport, interrupted = false): void {
  if (!r.clone) {
    say(`Nothing pending in ${r.environment}: nothing to rehearse.`);
    return;
  }
  say(`${bold('Rehearsal')} of ${bold(r.environment)} on a throwaway clone (${r.clone.schemaSource === 'pg_dump' ? 'schema from pg_dump' : 'schema from the applied migrations'}${r.clone.sampleRows ? `, ${r.clone.rowsCopied} row(s) copied` : ', no rows'})`);
  if (r.clone.note) say(yellow(r.clone.note));
  for (const m of r.migrations) {
    const status = m.status === 'ok' ? green('ok') : m.status === 'failed' ? red('FAILED') : dim('not run');
    say('');
    say(`${bold(m.name)}  ${status}${m.durationMs === null ? '' : `  ${formatMs(m.durationMs)}`}${m.transactional ? '' : dim('  (outside a transaction: locks sampled)')}`);
    for (const s of m.statements) {
      say(`  line ${s.line}: ${s.text}`);
      if (s.status === 'not-run') {
        say(dim('    not run'));
        continue;
      }
      if (s.status === 'failed') {
        say(red(`    failed after ${formatMs(s.durationMs)}: ${s.error?.message ?? ''}${s.error?.code ? ` (SQLSTATE ${s.error.code})` : ''}${s.error?.detail ? `: ${s.error.detail}` : ''}`));
        continue;
      }
      const o = s.observed!;
      const lockMark = s.matches?.locks ? green('=') : yellow('≠');
      const rewriteMark = s.matches?.rewrite ? green('=') : yellow('≠');
      say(`    ${formatMs(s.durationMs)}`);
      say(`    locks    predicted ${locks(s.predicted.locks)}  ${lockMark}  observed ${locks(o.locks)}`);
      say(`    rewrite  predicted ${s.predicted.rewrite ? 'yes' : 'no'}  ${rewriteMark}  observed ${o.rewritten.length ? `yes (${o.rewritten.join(', ')})` : 'no'}`);
    }
  }
  say('');
  // Stopped by Ctrl+C with no statement failing but the one it cancelled: said so (formbricks: it read as a failure the
  // real run would meet).
  const cancelledOnly = interrupted && r.migrations.every((m) => m.statements.every((st) => st.status !== 'failed' || st.error?.code === '57014'));
  const outcome = r.ok
    ? green('Every pending migration ran on the clone.')
    : cancelledOnly ? yellow('Interrupted: the rehearsal stopped before every pending migration had run.') : red('A migration failed on the clone; the real run would fail the same way.');
  say(`${outcome} Clone ${r.clone.database} ${r.clone.dropped ? 'dropped' : red('NOT dropped: drop it by hand')}.`);
}

export function registerRehearse(program: Command): void {
  withCommonOptions(program.command('rehearse'))
    .description('Run the pending migrations on a throwaway clone of an environment\'s schema and report, per statement, duration, locks taken and rewrites beside the prediction.')
    .option('--sample <n>', 'copy up to n rows of every table into the clone (default: schema only)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
The clone is a new database on the environment's server (the role needs CREATEDB), made with pg_dump --schema-only
when pg_dump is installed, else by replaying the migrations applied there; it is dropped afterwards, also when a
migration fails or on Ctrl+C. Each migration runs as up runs it (one transaction unless PostgreSQL refuses one);
after each statement the migrating session's pg_locks and the tables' relfilenode are read. Statements outside a
transaction have their locks sampled from a second session. The environment itself is only read.
Exit codes: 0 every migration ran, 1 one failed on the clone, 2 error.

Examples:
  $ godwit rehearse --env prod
  $ godwit rehearse --env prod --sample 1000 --json`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<{ sample?: string }>(cmd);
      const sample = opts.sample === undefined ? 0 : parseWholeNumber(opts.sample, '--sample', 0);
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const controller = new AbortController();
      const onSignal = (name: NodeJS.Signals) => {
        if (controller.signal.aborted) process.exit(130);
        note(yellow(`${name}: cancelling the rehearsal and dropping the clone…`));
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const report = await withEnvironment(env!, (db) => rehearse({ db, env: env!, folder: open.folder }, {
          sample, signal: controller.signal, onMigration: opts.json ? undefined : (name, i, n) => note(dim(`rehearsing ${i}/${n} ${name}`)),
        }));
        if (opts.json) printJson(report);
        else render(report, controller.signal.aborted);
        process.exitCode = controller.signal.aborted ? 130 : report.ok ? 0 : 1;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
