import { execFile } from 'node:child_process';
import { GodwitError } from '../util/errors.ts';

/** A password command that hangs must not hang the connection forever. */
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * Runs an environment's `passwordCommand` (e.g. `aws rds generate-db-auth-token …`) through the shell when a
 * connection opens and returns its standard output without the final newline. Neither its output nor its error stream
 * goes anywhere else: a failure names the exit code only, since the stream could carry the secret.
 */
export function runPasswordCommand(command: string, environment: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 1024 * 1024, windowsHide: true }, (err, stdout) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        const why = e.killed ? `was stopped after ${COMMAND_TIMEOUT_MS / 1000} s` : `exited with code ${String(e.code)}`;
        reject(new GodwitError('password-command-failed', `Environment "${environment}": the passwordCommand ${why}.`, 'Run the command in a shell to see its error.'));
        return;
      }
      const password = stdout.replace(/\r?\n$/, '');
      if (!password) {
        reject(new GodwitError('password-command-failed', `Environment "${environment}": the passwordCommand printed nothing.`));
        return;
      }
      resolve(password);
    });
  });
}
