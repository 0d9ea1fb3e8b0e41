import { hidePasswordsFromProcessList } from './hide-passwords.ts';

/**
 * Runs a CLI entry point's `main` as this process's command: passwords out of `ps`, exit code, EPIPE, a command that
 * never finished. `exitWhenDone`: the process exits as soon as `main` has finished and its output is flushed, instead
 * of when the event loop runs dry; for commands that leave nothing behind worth waiting for (tables, describe: the
 * server's end of their connection closing, then Node's teardown of the heap, ~2 ms of a ~50 ms command).
 */
export function start(main: (argv: string[]) => Promise<number>, options: { exitWhenDone?: boolean } = {}): void {
  hidePasswordsFromProcessList(process.argv);
  // `godwit sql | head` closes stdout early: stop quietly, as Unix tools do, instead of crashing on EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }

  // No top-level await: the launcher runs this as a CommonJS bundle (bin/godwit.cjs), which has none.
  let settled = false;
  void main(process.argv).then((code) => {
    settled = true;
    process.exitCode = code;
    // Both streams flushed first: a write to a pipe completes later on macOS.
    if (options.exitWhenDone) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  });

  // Node ends a process whose event loop ran dry with exit code 0, even with the command still awaiting something
  // (a prisma.config.ts that awaits a promise nothing resolves): a CI gate would pass having checked nothing.
  process.once('beforeExit', () => {
    if (settled) return;
    process.stderr.write('Error: the command stopped before it finished: it was waiting for something that can never happen (a prisma.config.ts awaiting a promise nothing resolves?).\n');
    process.exitCode = 2;
  });
}
