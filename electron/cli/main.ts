import { Command, CommanderError } from 'commander';
import { describeError, GodwitError } from '../engine/index.ts';
import { withCommonOptions } from './context.ts';
import { red } from './output.ts';
import { registerStatus } from './commands/status.ts';
import { registerUpDown } from './commands/up-down.ts';
import { registerSql } from './commands/sql.ts';
import { registerNew } from './commands/new.ts';
import { registerResolveAndLog } from './commands/resolve-log.ts';
import { registerDemo } from './commands/demo.ts';
import { registerTables } from './commands/tables.ts';
import { registerServe } from './commands/serve.ts';

/** Exit codes: 0 ok, 1 status found something to act on, 2 error. */
export const EXIT_ERROR = 2;

export function buildProgram(): Command {
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
  registerStatus(program);
  registerUpDown(program);
  registerSql(program);
  registerNew(program);
  registerResolveAndLog(program);
  registerTables(program);
  registerDemo(program);
  registerServe(program);
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
