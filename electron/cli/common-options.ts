import type { Command } from 'commander';

// Apart from context.ts, which loads the engine: the program's own options must not (start-up time, main.ts).
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Adds the project and environment options to a command. */
export function withCommonOptions(cmd: Command, { many = false } = {}): Command {
  cmd
    .option('-p, --project <dir>', 'the Prisma project folder (default: the current folder)')
    .option('-e, --env <name>', many ? 'an environment from godwit.json (repeatable)' : 'an environment from godwit.json', collect)
    .option('--url <url>', 'an ad-hoc database instead of a configured environment; env:VAR reads it from a variable, its password out of sight of ps')
    .option('--schema <path>', 'the Prisma schema file (or folder of .prisma files), as prisma --schema takes it; its migrations folder is beside it unless prisma.config.ts says otherwise');
  if (many) cmd.option('--all', 'every environment in godwit.json');
  cmd.option('--accept-host-key <fingerprint>', 'trust an SSH bastion\'s unknown host key (SHA256:…) and add it to known_hosts');
  // Read by engine/db/ssh-tunnel.ts when the tunnel opens; an env var keeps the engine out of the CLI's start-up.
  cmd.hook('preAction', (_self, action) => {
    const fp = (action.optsWithGlobals() as { acceptHostKey?: string }).acceptHostKey;
    if (fp) process.env.GODWIT_ACCEPT_HOST_KEY = fp;
  });
  return cmd;
}
