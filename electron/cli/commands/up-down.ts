import type { Command } from 'commander';
import { MigrationFailedError, planFor, rollback, upgrade, withEnvironment, type Plan } from '../../engine/index.ts';
import { environmentsFromOptions, lockTimeoutMs, moveRequest, optionsOf, projectFromOptions, withCommonOptions, type CommonOptions } from '../context.ts';
import { confirmChange } from '../confirm.ts';
import { describeFailure, printProgress, reportJson } from '../progress.ts';
import { bold, cyan, note, printJson, say, yellow } from '../output.ts';

interface MoveOptions extends CommonOptions {
  to?: string;
  steps?: string;
  base?: boolean;
}

async function move(direction: 'up' | 'down', cmd: Command): Promise<void> {
  const opts = optionsOf<MoveOptions>(cmd);
  const req = moveRequest(direction, opts);
  const open = await projectFromOptions(opts);
  const [env] = environmentsFromOptions(open, opts);
  const verb = direction === 'up' ? 'apply' : 'roll back';
  await withEnvironment(env!, async (db) => {
    let confirm = opts.confirm;
    // Asking first needs the plan (what will run, its warnings); with --yes on an unprotected environment the plan
    // made under the migration lock is the only one needed.
    if (!opts.yes || env!.protected) {
      const plan = await planFor(open, env!, db, req);
      if (plan.steps.length === 0) {
        if (opts.json) printJson({ environment: env!.name, direction, completed: [], failure: null, headAfter: plan.headAfter });
        else say(`Nothing to ${verb} in ${env!.name}; it is at ${plan.headAfter ?? 'base'}.`);
        return;
      }
      const warnings = plan.steps.reduce((n, s) => n + s.script.warnings.length, 0);
      const summary = `${verb} ${plan.steps.length} migration(s) ${direction === 'up' ? 'to' : 'in'} ${env!.name}${warnings ? ` (${warnings} destructive statement(s); see godwit sql)` : ''}`;
      confirm = await confirmChange(env!, opts, summary);
    }
    const onPlan = (plan: Plan) => {
      if (!plan.steps.length) return;
      note(`${direction === 'up' ? 'Upgrading' : 'Rolling back'} ${bold(env!.name)} (${env!.display}): ${plan.steps.length} migration(s)`);
      for (const s of plan.steps) if (s.script.nonTransactional.length) note(yellow(`  ${s.name} runs outside a transaction (${s.script.nonTransactional.join(', ')})`));
    };
    const ctx = { db, env: env!, folder: open.folder };
    const runOpts = { confirm, lockTimeoutMs: lockTimeoutMs(opts), onProgress: printProgress, onPlan };
    try {
      const report = direction === 'up' ? await upgrade(ctx, { ...runOpts, to: req.direction === 'up' ? req.to : undefined }) : await rollback(ctx, { ...runOpts, ...req });
      if (opts.json) printJson(reportJson(report));
      else if (report.completed.length === 0) say(`Nothing to ${verb} in ${env!.name}; it is at ${report.headAfter ?? 'base'}.`);
      else say(`${env!.name} is now at ${cyan(report.headAfter ?? 'base')} (${report.completed.length} migration(s) ${direction === 'up' ? 'applied' : 'rolled back'}).`);
    } catch (err) {
      if (err instanceof MigrationFailedError) {
        if (opts.json) printJson({ environment: env!.name, direction, failure: err.failure });
        note(describeFailure(err.failure));
      }
      throw err;
    }
  });
}

const COMMON_HELP = `
Protected environments need --yes --confirm <environment name>; others ask y/N unless --yes. Without a terminal and
without --yes nothing runs. Godwit holds Prisma's migration lock (72707369) for the whole run, so it never migrates
at the same time as the Prisma CLI or another Godwit.`;

export function registerUpDown(program: Command): void {
  withCommonOptions(program.command('up'))
    .description('Apply pending migrations oldest first, each with its history row in one transaction.')
    .option('--to <migration>', 'stop after this migration (default: head)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--confirm <environment>', 'the environment\'s name, required with --yes on a protected environment')
    .option('--lock-timeout <seconds>', 'how long to wait for the migration lock (default 10)')
    .option('--json', 'print the run report as JSON')
    .addHelpText('after', `
A migration that fails is rolled back whole (schema and history unchanged) and the run stops; migrations before it
stay applied. Migrations with statements PostgreSQL refuses in a transaction (CREATE INDEX CONCURRENTLY, VACUUM, …)
run outside one; godwit sql says which.
${COMMON_HELP}

Examples:
  $ godwit up                                  dev to head, after a y/N prompt
  $ godwit up --env test --to 20250412090000_create_booking_requests --yes
  $ godwit up --env prod --yes --confirm prod`)
    .action((_o, cmd: Command) => move('up', cmd));

  withCommonOptions(program.command('down'))
    .description('Roll back applied migrations newest first by running their down.sql (default: one step).')
    .option('--steps <n>', 'roll back the newest n migrations (default 1)')
    .option('--to <migration>', 'roll back everything applied after this migration; it stays applied')
    .option('--base', 'roll back every migration')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--confirm <environment>', 'the environment\'s name, required with --yes on a protected environment')
    .option('--lock-timeout <seconds>', 'how long to wait for the migration lock (default 10)')
    .option('--json', 'print the run report as JSON')
    .addHelpText('after', `
Each down.sql and the deletion of its history row commit in one transaction; the migration is pending again.
A migration without down.sql stops the run before anything happens: generate one with godwit down-sql NAME.
${COMMON_HELP}

Examples:
  $ godwit down --yes                          undo dev's newest migration
  $ godwit down --steps 3 --env test --yes
  $ godwit down --base --env prod --yes --confirm prod`)
    .action((_o, cmd: Command) => move('down', cmd));
}
