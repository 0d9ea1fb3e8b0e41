import { GodwitError } from '../util/errors.ts';
import type { StatementFailure } from './migration-failure.ts';
import type { Direction } from './plan.ts';

/** Thrown inside a run when an interrupt was asked for between migrations: nothing more starts. */
export class StopRequested extends Error {
  constructor() {
    super('stop requested');
  }
}

/** A run ended by Ctrl+C (SIGINT) or SIGTERM; its message is the one sentence of what is now true. */
export class RunInterruptedError extends GodwitError {
  constructor(message: string) {
    super('interrupted', message);
  }
}

const plural = (n: number) => `${n} migration${n === 1 ? '' : 's'}`;

/**
 * What is true after an interrupt, in one sentence: which migration was cancelled and whether it was rolled back,
 * what finished before it, and where the environment now stands.
 */
export function interruptedSentence(o: {
  environment: string;
  direction: Direction;
  completed: string[];
  failure: StatementFailure | null;
  remaining: number;
  headAfter: string | null;
}): string {
  const up = o.direction === 'up';
  // Names only when few: the head below says where the environment stands however many ran.
  const names = (list: string[]) => (list.length <= 3 ? ` (${list.join(', ')})` : '');
  const done = o.completed.length ? `${plural(o.completed.length)} ${up ? 'applied' : 'rolled back'} before it${names(o.completed)}` : '';
  const at = `${o.environment} is at ${o.headAfter ?? 'base'}`;
  if (o.failure) {
    const f = o.failure;
    if (!f.rolledBack) {
      // Part of it stays: the outcome (which statements, what the history says, what to do) ends the message.
      return `Interrupted: ${f.migration} was cancelled${done ? ` (${done})` : ''}; ${at}. ${f.outcome ?? 'Statements before the cancelled one stay applied.'}`;
    }
    return `Interrupted: ${f.migration} was cancelled and rolled back, so it is ${up ? 'still pending' : 'still applied'}${done ? `; ${done}` : ''}; ${at}.`;
  }
  if (o.completed.length) {
    return `Interrupted after ${plural(o.completed.length)} ${up ? 'applied' : 'rolled back'}${names(o.completed)}, each committed whole; ${at}${o.remaining ? `, ${plural(o.remaining)} not run` : ''}.`;
  }
  return `Interrupted before any migration ran: ${o.environment} is unchanged (at ${o.headAfter ?? 'base'}).`;
}
