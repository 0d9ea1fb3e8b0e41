import { createInterface } from 'node:readline/promises';
import { GodwitError } from '../engine/util/errors.ts';
import type { Environment } from '../engine/project/environments.ts';
import type { CommonOptions } from './context.ts';

/** Where the question is asked; the terminal unless a test gives its own streams. */
export interface PromptIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  isTTY: boolean;
}

const terminal = (): PromptIo => ({ input: process.stdin, output: process.stderr, isTTY: process.stdin.isTTY === true });

async function ask(io: PromptIo, question: string): Promise<string> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: false });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/**
 * The CLI's gate before changing a database. A protected environment, or a run that includes a migration the SQL
 * parser could not analyse (`needsName`), needs the environment's name: typed at the prompt, or
 * `--yes --confirm <name>`. Others need a y/N answer or `--yes`. Without a terminal and without `--yes` nothing runs.
 */
export async function confirmChange(env: Environment, opts: CommonOptions, summary: string, needsName = false, io: PromptIo = terminal()): Promise<string | undefined> {
  const why = env.protected ? `${env.name} is protected` : `${summary} includes a migration the SQL parser could not analyse`;
  if (env.protected || needsName) {
    if (opts.yes) {
      if (opts.confirm !== env.name) throw new GodwitError('confirmation-required', `${why}: ${env.protected ? `${summary} ` : ''}needs --yes --confirm ${env.name}.`);
      return env.name;
    }
    if (!io.isTTY) throw new GodwitError('confirmation-required', `${why}: ${env.protected ? `${summary} ` : ''}needs --yes --confirm ${env.name}.`);
    const typed = await ask(io, `${why}. To ${summary}, type the environment's name (${env.name}): `);
    if (typed.trim() !== env.name) throw new GodwitError('cancelled', `Cancelled: "${typed.trim()}" is not ${env.name}; nothing was changed.`);
    return env.name;
  }
  if (opts.yes) return opts.confirm;
  if (!io.isTTY) {
    throw new GodwitError('confirmation-required', `Refusing to ${summary} without a terminal to ask; pass --yes.`);
  }
  const answer = await ask(io, `${summary[0]!.toUpperCase()}${summary.slice(1)}? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new GodwitError('cancelled', 'Cancelled; nothing was changed.');
  return undefined;
}
