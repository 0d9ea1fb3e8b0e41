import { spawn } from 'node:child_process';
import { GodwitError } from '../util/errors.ts';

/**
 * A password command that hangs must not hang the connection: stopped before the connection's own 10 s timeout
 * would blame the server instead.
 */
const COMMAND_TIMEOUT_MS = 8_000;
const MAX_OUTPUT = 1024 * 1024;

/**
 * Runs an environment's `passwordCommand` (e.g. `aws rds generate-db-auth-token …`) through the shell when a
 * connection opens and returns its standard output without the final newline. Neither its output nor its error stream
 * goes anywhere else: a failure names the exit code only, since the stream could carry the secret. It runs in a
 * process group of its own, all of it stopped on timeout (a `sleep` the shell started outlived the shell before).
 */
export function runPasswordCommand(command: string, environment: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new GodwitError('password-command-failed', `Environment "${environment}": the passwordCommand ${why}.`, 'Run the command in a shell to see its error.'));
    const group = process.platform !== 'win32';
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true, detached: group });
    let out = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.length > MAX_OUTPUT) stop();
    });
    const stop = () => {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(`could not start (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    });
    // When the shell ends, what it started and left behind (holding the pipe open) goes with its group; the output is
    // read to its end on 'close'.
    child.on('exit', () => {
      if (group && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return fail(`did not finish within ${timeoutMs / 1000} s and was stopped`);
      if (out.length > MAX_OUTPUT) return fail('printed more than 1 MB');
      if (signal) return fail(`was stopped by ${signal}`);
      if (code !== 0) return fail(`exited with code ${String(code)}`);
      const password = out.replace(/\r?\n$/, '');
      if (!password) {
        reject(new GodwitError('password-command-failed', `Environment "${environment}": the passwordCommand printed nothing.`));
        return;
      }
      resolve(password);
    });
  });
}
