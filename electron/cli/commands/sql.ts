import type { Command } from 'commander';
import { analyzePlan } from '../../engine/analysis/analyze-plan.ts';
import { renderAnnotatedPreview } from '../../engine/analysis/render-annotated-preview.ts';
import { planFor } from '../../engine/apply/plan-for.ts';
import { withEnvironment } from '../../engine/project/with-environment.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { environmentsFromOptions, moveRequest, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { printJson } from '../output.ts';

export function registerSql(program: Command): void {
  withCommonOptions(program.command('sql'))
    .description('Print the exact SQL that up (or, with --down, down) would run now, without running it, with the locks each statement takes.')
    .option('--down', 'the rollback script instead of the upgrade script')
    .option('--to <migration>', 'up: stop after this migration; down: keep this migration applied')
    .option('--steps <n>', 'down: the newest n migrations (default 1)')
    .option('--base', 'down: every applied migration')
    .option('--json', 'print { environment, direction, headAfter, serverVersion, migrations, sql } as JSON: per migration its warnings and each statement\'s lock analysis')
    .addHelpText('after', `
Each migration is headed by a comment with its name, whether it runs in a transaction, and a WARNING line for each
destructive statement (DROP TABLE/COLUMN/SCHEMA/TYPE, TRUNCATE, DELETE or UPDATE without WHERE, ALTER COLUMN TYPE,
SET NOT NULL, dropping a default or a constraint), found with PostgreSQL's own parser. Each statement is preceded by
comments saying which locks it takes on which tables (with their rows, size and activity on this environment),
whether it rewrites or scans the table, its risk, and a safer recipe where one exists. The script includes the
history-table bookkeeping, so piping it into psql does what godwit would do.

Examples:
  $ godwit sql                          what godwit up would run on dev
  $ godwit sql --env prod > upgrade-prod.sql
  $ godwit sql --env prod --json | jq '.migrations[].statements[] | select(.risk == "high")'
  $ godwit sql --down --steps 2`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<{ down?: boolean; to?: string; steps?: string; base?: boolean }>(cmd);
      if (!opts.down && (opts.steps !== undefined || opts.base)) throw new GodwitError('bad-options', '--steps and --base go with --down.');
      const req = moveRequest(opts.down ? 'down' : 'up', opts);
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const { plan, analysis } = await withEnvironment(env!, async (db) => {
        const plan = await planFor(open, env!, db, req);
        return { plan, analysis: await analyzePlan(plan, { db }) };
      });
      const sql = renderAnnotatedPreview(plan, analysis);
      if (opts.json) {
        printJson({
          environment: plan.environment,
          direction: plan.direction,
          headAfter: plan.headAfter,
          serverVersion: analysis.serverVersion,
          migrations: plan.steps.map((s, i) => ({
            name: s.name, file: s.file, transactional: s.script.nonTransactional.length === 0, nonTransactional: s.script.nonTransactional, warnings: s.script.warnings,
            statements: analysis.migrations[i]?.statements ?? [],
          })),
          sql,
        });
      } else process.stdout.write(sql);
    });
}
