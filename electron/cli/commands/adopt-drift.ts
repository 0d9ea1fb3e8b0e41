import type { Command } from 'commander';
import { relative } from 'node:path';
import { withEnvironment } from '../../engine/index.ts';
import { adoptDrift } from '../../engine/check/adopt-drift.ts';
import { environmentsFromOptions, lockTimeoutMs, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { confirmChange } from '../confirm.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { dim, printJson, say } from '../output.ts';

export function registerAdoptDrift(program: Command): void {
  withCommonOptions(program.command('adopt-drift').argument('<name>', 'the new migration\'s name, e.g. hotfix_orders_index'))
    .description('Turn an environment\'s drift (a hotfix applied by hand) into a migration, marked applied there only.')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--confirm <environment>', 'the environment\'s name, required with --yes on a protected environment')
    .option('--lock-timeout <seconds>', 'how long to wait for the migration lock (default 10)')
    .option('--json', 'print { name, dir, upSql, downSql } (null when there is no drift)')
    .addHelpText('after', `
migration.sql reproduces the drift (so other environments get it on their next up); down.sql is the reconcile
SQL that removes it. Nothing runs on the environment except its history row: it is never reset. The environment
must have every migration of the folder applied. Exit code: 0 adopted (or no drift), 2 error.

Examples:
  $ godwit status --env prod --drift
  $ godwit adopt-drift --env prod hotfix_orders_index --yes --confirm prod`)
    .action(async (name: string, _o, cmd: Command) => {
      const opts = optionsOf<{ lockTimeout?: string }>(cmd);
      if (opts.env && opts.env.length > 1) throw new GodwitError('bad-options', 'adopt-drift works on one environment: give --env once.');
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const confirm = await confirmChange(env!, opts, `write a migration from the drift of ${env!.name} and mark it applied there`);
      const adopted = await withEnvironment(env!, (db) => adoptDrift(db, env!, open, name, { confirm, lockTimeoutMs: lockTimeoutMs(opts) }));
      if (opts.json) return printJson(adopted);
      if (!adopted) return say(`No drift in ${env!.name}: its schema matches its applied migrations; nothing to adopt.`);
      say(`Wrote ${relative(process.cwd(), adopted.dir) || adopted.dir} (migration.sql and down.sql) and marked ${adopted.name} applied in ${env!.name}.`);
      say(dim('Review both files and commit them; other environments get the change on their next godwit up.'));
    });
}
