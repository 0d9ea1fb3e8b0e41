import { Command, CommanderError } from 'commander';
import { describeError, GodwitError } from '../engine/util/errors.ts';
import { withCommonOptions } from './common-options.ts';
import { red } from './output.ts';
import { COMMAND_MODULE_NAMES, commandModulesFor, type CommandModule } from './command-modules.ts';

export type Register = (program: Command) => void;
/** How to import each command module's register function; a bundle holds only the modules it can run. */
export type CommandLoaders = Partial<Record<CommandModule, () => Promise<Register>>>;

/** Exit codes: 0 ok, 1 status found something to act on, 2 error. */
export const EXIT_ERROR = 2;

/** The program with the commands `argv` needs (all of them without argv), imported through `loaders`. */
export async function buildProgram(loaders: CommandLoaders, argv?: string[]): Promise<Command> {
  const modules = argv ? commandModulesFor(argv) : COMMAND_MODULE_NAMES;
  const registers = await Promise.all(modules.map((m) => {
    const load = loaders[m];
    // The launcher picks a bundle holding every module the command line needs (command-modules.ts, bundleFor).
    if (!load) throw new Error(`internal: this build of the CLI lacks the ${m} commands; run it with GODWIT_NO_BUNDLE=1 and report this`);
    return load();
  }));
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

/** Runs the command line; resolves to the exit code. */
export async function runProgram(loaders: CommandLoaders, argv: string[]): Promise<number> {
  const program = await buildProgram(loaders, argv);
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
