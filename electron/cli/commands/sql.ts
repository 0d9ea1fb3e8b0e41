import type { Command } from 'commander';
import { previewSql, withEnvironment } from '../../engine/index.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { environmentsFromOptions, moveRequest, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { printJson } from '../output.ts';

export function registerSql(program: Command): void {
  withCommonOptions(program.command('sql'))
    .description('Print the exact SQL that up (or, with --down, down) would run now, without running it.')
    .option('--down', 'the rollback script instead of the upgrade script')
    .option('--to <migration>', 'up: stop after this migration; down: keep this migration applied')
    .option('--steps <n>', 'down: the newest n migrations (default 1)')
    .option('--base', 'down: every applied migration')
    .option('--json', 'print { plan, sql } as JSON, with warnings per migration')
    .addHelpText('after', `
Each migration is headed by a comment with its name, whether it runs in a transaction, and a WARNING line for each
destructive statement (DROP TABLE/COLUMN/SCHEMA/TYPE, TRUNCATE, DELETE or UPDATE without WHERE, ALTER COLUMN TYPE,
SET NOT NULL, dropping a default or a constraint), found with PostgreSQL's own parser. The script includes the
history-table bookkeeping, so piping it into psql does what godwit would do.

Examples:
  $ godwit sql                          what godwit up would run on dev
  $ godwit sql --env prod > upgrade-prod.sql
  $ godwit sql --down --steps 2`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<{ down?: boolean; to?: string; steps?: string; base?: boolean }>(cmd);
      if (!opts.down && (opts.steps !== undefined || opts.base)) throw new GodwitError('bad-options', '--steps and --base go with --down.');
      const req = moveRequest(opts.down ? 'down' : 'up', opts);
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const { plan, sql } = await withEnvironment(env!, (db) => previewSql(open, env!, db, req));
      if (opts.json) {
        printJson({
          environment: plan.environment,
          direction: plan.direction,
          headAfter: plan.headAfter,
          migrations: plan.steps.map((s) => ({ name: s.name, file: s.file, transactional: s.script.nonTransactional.length === 0, nonTransactional: s.script.nonTransactional, warnings: s.script.warnings })),
          sql,
        });
      } else process.stdout.write(sql);
    });
}
