import type { READ_BUNDLE_MODULES } from './command-modules.ts';
import { runProgram, type Register } from './program.ts';
import { start } from './start.ts';

/**
 * The CLI for `tables` and `describe` alone, bundled apart as cli-read.cjs (bin/godwit.cjs picks it with
 * command-modules.ts's bundleFor). They are measured against `psql -c '\dt'`, which starts in ~25 ms: every command
 * bundled beside them is source V8 reads and a larger code cache it loads (~3 ms of a ~45 ms command).
 */
const READ_COMMANDS: Record<(typeof READ_BUNDLE_MODULES)[number], () => Promise<Register>> = {
  tables: () => import('./commands/tables.ts').then((m) => m.registerTables),
};

start((argv) => runProgram(READ_COMMANDS, argv), { exitWhenDone: true });
