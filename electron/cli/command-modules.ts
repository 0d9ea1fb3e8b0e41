/**
 * Which command module each command lives in, and which of them a command line needs. Pure and import-free: the
 * launcher (bin/godwit.cjs) loads this alone, before the CLI, to pick the V8 code cache made for the same modules.
 */

/** The command modules, in the order `--help` lists them (main.ts maps each to its import). */
export const COMMAND_MODULE_NAMES = [
  'status', 'upDown', 'sql', 'new', 'resolveLog', 'tables', 'compare', 'demo', 'serve', 'check', 'adoptDrift', 'preflight', 'rehearse', 'backups',
] as const;
export type CommandModule = (typeof COMMAND_MODULE_NAMES)[number];

/** Command name → its module (lazy-commands.test.ts checks this covers every command). */
export const COMMAND_MODULE_OF: Record<string, CommandModule> = {
  status: 'status', up: 'upDown', down: 'upDown', sql: 'sql', new: 'new', 'down-sql': 'new', resolve: 'resolveLog',
  log: 'resolveLog', tables: 'tables', describe: 'tables', compare: 'compare', demo: 'demo', 'build-ui': 'serve', serve: 'serve',
  check: 'check', 'adopt-drift': 'adoptDrift', preflight: 'preflight', rehearse: 'rehearse', backups: 'backups',
};

/**
 * The modules `argv` needs: those of every word naming a command (an option's value may too: loading one more is
 * harmless). Help, a mistyped or missing command, or `help <command>` load them all, so commander sees everything.
 */
export function commandModulesFor(argv: string[]): CommandModule[] {
  const args = argv.slice(2);
  if (args.includes('--version') || args.includes('-V')) {
    if (!args.some((a) => Object.hasOwn(COMMAND_MODULE_OF, a))) return [];
  }
  const named = new Set(args.flatMap((a) => (Object.hasOwn(COMMAND_MODULE_OF, a) ? [COMMAND_MODULE_OF[a]!] : [])));
  return named.size ? COMMAND_MODULE_NAMES.filter((m) => named.has(m)) : [...COMMAND_MODULE_NAMES];
}

/**
 * Command modules that compile no WebAssembly against a database server. On an embedded database they load PGlite,
 * which asks for Liftoff then (engine/util/wasm-tiers.ts); `status --drift` runs Prisma's schema engine.
 */
const WITHOUT_WEBASSEMBLY: ReadonlySet<CommandModule> = new Set(['status', 'tables', 'resolveLog', 'backups', 'compare']);

/**
 * Whether `argv` runs a command that compiles WebAssembly (the SQL parser, Prisma's schema engine, PGlite): the
 * launcher then has V8 compile it with Liftoff only from the start. Help and unknown commands count as yes.
 */
export function expectsWebAssembly(argv: string[]): boolean {
  const modules = commandModulesFor(argv);
  if (modules.length === 0) return false;
  if (argv.slice(2).includes('--drift')) return true;
  return modules.some((m) => !WITHOUT_WEBASSEMBLY.has(m));
}

/**
 * The command modules bundled apart in the smaller cli-read.cjs (run-read.ts): `tables` and `describe`, measured
 * against psql's `\dt` and `\d`, pay for no other command's code there.
 */
export const READ_BUNDLE_MODULES = ['tables'] as const satisfies readonly CommandModule[];

/** The bundle the launcher runs for `argv`: the read one when it holds every module `argv` needs. */
export function bundleFor(argv: string[]): 'cli' | 'cli-read' {
  const modules = commandModulesFor(argv);
  const read: readonly CommandModule[] = READ_BUNDLE_MODULES;
  return modules.length > 0 && modules.every((m) => read.includes(m)) ? 'cli-read' : 'cli';
}
