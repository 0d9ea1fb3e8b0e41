import type { Command } from 'commander';
import { environmentStatus, selectEnvironments, withEnvironment } from '../../engine/index.ts';
import { DEMO_PROJECT_DIR, openDemo } from '../../engine/demo/open-demo.ts';
import { bold, cyan, note, say } from '../output.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Open the bundled demo project on three embedded databases (no server needed).')
    .option('--reset', 'wipe the demo databases and start again')
    .addHelpText('after', `
The demo's environments are embedded PGlite databases in Godwit's data directory: dev at head, test one migration
behind, prod (protected) three behind. Afterwards try, from the repository folder:
  $ npx godwit status
  $ npx godwit sql --env test
  $ npx godwit up --env test --yes
  $ npx godwit down --env dev --yes`)
    .action(async (opts: { reset?: boolean }) => {
      note('Opening the demo (the first run creates three embedded databases; this takes a few seconds)…');
      const open = await openDemo({ reset: opts.reset, onSeed: (env, head) => note(`  seeded ${env} at ${head ?? 'base'}`) });
      say(`${bold('Demo project')} ${DEMO_PROJECT_DIR}`);
      for (const env of selectEnvironments(open.project, { all: true })) {
        const s = await withEnvironment(env, (db) => environmentStatus(open, env, db));
        const pending = s.summary.pending + s.summary.rolledBack;
        say(`  ${bold(env.name.padEnd(5))} ${env.protected ? '[protected] ' : ''}head ${cyan(s.head ?? 'base')}, ${pending} pending`);
      }
      say(`\nNext: cd ${DEMO_PROJECT_DIR} && npx godwit status`);
    });
}
