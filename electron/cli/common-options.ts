import type { Command } from 'commander';

// Apart from context.ts, which loads the engine: the program's own options must not (start-up time, main.ts).
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Adds the project and environment options to a command. */
export function withCommonOptions(cmd: Command, { many = false } = {}): Command {
  cmd
    .option('-p, --project <dir>', 'the Prisma project folder (default: the current folder)')
    .option('-e, --env <name>', many ? 'an environment from godwit.json (repeatable)' : 'an environment from godwit.json', collect)
    .option('--url <url>', 'an ad-hoc database instead of a configured environment (also env:VAR)');
  if (many) cmd.option('--all', 'every environment in godwit.json');
  return cmd;
}
