import { createInterface } from 'node:readline/promises';
import { GodwitError, type Environment } from '../engine/index.ts';
import type { CommonOptions } from './context.ts';

/**
 * The CLI's gate before changing a database. Protected environments need `--yes --confirm <name>`; others a y/N
 * answer or `--yes`; without a terminal and without `--yes` nothing runs.
 */
export async function confirmChange(env: Environment, opts: CommonOptions, summary: string): Promise<string | undefined> {
  if (env.protected) {
    if (!opts.yes || opts.confirm !== env.name) {
      throw new GodwitError(
        'confirmation-required',
        `${env.name} is protected: ${summary} needs --yes --confirm ${env.name}.`,
      );
    }
    return env.name;
  }
  if (opts.yes) return opts.confirm;
  if (!process.stdin.isTTY) {
    throw new GodwitError('confirmation-required', `Refusing to ${summary} without a terminal to ask; pass --yes.`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${summary[0]!.toUpperCase()}${summary.slice(1)}? [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new GodwitError('cancelled', 'Cancelled; nothing was changed.');
  return undefined;
}
