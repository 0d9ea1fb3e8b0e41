import { Command, CommanderError } from 'commander';
import { describeError, GodwitError } from '../engine/util/errors.ts';
import { withCommonOptions } from './common-options.ts';
import { red } from './output.ts';
import { COMMAND_MODULE_NAMES, commandModulesFor, type CommandModule } from './command-modules.ts';

export { COMMAND_MODULE_OF, commandModulesFor } from './command-modules.ts';

type Register = (program: Command) => void;
/**
 * Each command's module, imported only when that command runs: `--version`, `status` or `tables` must not pay for
 * the schema engine, the parser or the server. Which commands live where: command-modules.ts.
 */
const COMMAND_MODULES: Record<CommandModule, () => Promise<Register>> = {
  status: () => import('./commands/status.ts').then((m) => m.registerStatus),
  upDown: () => import('./commands/up-down.ts').then((m) => m.registerUpDown),
  sql: () => import('./commands/sql.ts').then((m) => m.registerSql),
  new: () => import('./commands/new.ts').then((m) => m.registerNew),
  resolveLog: () => import('./commands/resolve-log.ts').then((m) => m.registerResolveAndLog),
  tables: () => import('./commands/tables.ts').then((m) => m.registerTables),
  compare: () => import('./commands/compare.ts').then((m) => m.registerCompare),
  demo: () => import('./commands/demo.ts').then((m) => m.registerDemo),
  serve: () => import('./commands/serve.ts').then((m) => m.registerServe),
  check: () => import('./commands/check.ts').then((m) => m.registerCheck),
  adoptDrift: () => import('./commands/adopt-drift.ts').then((m) => m.registerAdoptDrift),
  preflight: () => import('./commands/preflight.ts').then((m) => m.registerPreflight),
  rehearse: () => import('./commands/rehearse.ts').then((m) => m.registerRehearse),
  backups: () => import('./commands/backups.ts').then((m) => m.registerBackups),
};

/** Exit codes: 0 ok, 1 status found something to act on, 2 error. */
export const EXIT_ERROR = 2;

/** The program with the commands `argv` needs (all of them without argv). */
export async function buildProgram(argv?: string[]): Promise<Command> {
  const modules = argv ? commandModulesFor(argv) : COMMAND_MODULE_NAMES;
  const registers = await Promise.all(modules.map((m) => COMMAND_MODULES[m]()));
  const program = new Command('godwit');
  withCommonOptions(program, { many: true })
    .description('Migration manager for Prisma projects on PostgreSQL: status, upgrade, rollback, SQL preview, new migrations.')
    .version('0.1.0')
    .showHelpAfterError('(run godwit --help for usage)')
    .addHelpText('after', `
Environments come from godwit.json beside prisma.config.ts:
  { "environments": {
      "dev":  { "url": "env:DATABASE_URL" },
      "test": { "url": "postgresql://app@127.0.0.1:5432/app_test" },
      "prod": { "url": "env:PROD_DATABASE_URL", "protected": true, "shadowDatabaseUrl": "env:PROD_SHADOW_URL" } } }
A url is a literal, env:VAR, or embedded:<name> (a PGlite database in Godwit's data directory). Without
godwit.json there is one environment, dev, from the Prisma config's datasource url. --url works anywhere.

Examples:
  $ godwit demo                      try it on the bundled demo, no server needed
  $ godwit status                    where every environment stands
  $ godwit sql --env prod            the exact SQL an upgrade of prod would run
  $ godwit up --env prod --yes --confirm prod`);
  for (const register of registers) register(program);
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    const known = err instanceof GodwitError;
    process.stderr.write(`${red('Error:')} ${describeError(err)}\n`);
    if (!known && process.env.GODWIT_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return EXIT_ERROR;
  }
}
