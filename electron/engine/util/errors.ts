import { redactSecrets } from './redact.ts';

/**
 * An error the user can act on: one line, no stack trace, no secrets. The CLI exits with code 2 on it and the app
 * shows `message` where the action happened. `hint` is a second sentence telling what to do about it.
 */
export class GodwitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, hint?: string) {
    super(redactSecrets(message));
    this.name = 'GodwitError';
    this.code = code;
    this.hint = hint === undefined ? undefined : redactSecrets(hint);
  }
}

/** Renders any thrown value as one safe line, for places where nothing better is known about it. */
export function describeError(err: unknown): string {
  if (err instanceof GodwitError) return err.hint ? `${err.message} ${err.hint}` : err.message;
  if (err instanceof Error) return redactSecrets(err.message.split('\n')[0] ?? err.name);
  return redactSecrets(String(err));
}
