import type { Command } from 'commander';
import { buildProgram as buildWith, runProgram, type CommandLoaders } from './program.ts';

export { COMMAND_MODULE_OF, commandModulesFor } from './command-modules.ts';
export { EXIT_ERROR } from './program.ts';

/**
 * Each command's module, imported only when that command runs: `--version`, `status` or `tables` must not pay for
 * the schema engine, the parser or the server. Which commands live where: command-modules.ts.
 */
const COMMAND_MODULES: Required<CommandLoaders> = {
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

/** The program with the commands `argv` needs (all of them without argv). */
export const buildProgram = (argv?: string[]): Promise<Command> => buildWith(COMMAND_MODULES, argv);

export const main = (argv: string[]): Promise<number> => runProgram(COMMAND_MODULES, argv);
