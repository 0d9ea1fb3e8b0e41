import { mayHoldSecret, redactSecrets, redactUrl } from '../engine/util/redact.ts';

/**
 * A password typed on the command line (`--url postgresql://app:pw@db/app`, `--url=…`, `password=` pairs) can be read
 * by every user of the machine in `ps` and /proc/<pid>/cmdline for as long as the command runs: hours for `serve`.
 * Setting process.title makes Node rewrite that memory (Linux, macOS), so the command line shows again with its
 * passwords masked from here on. `--url env:VAR` keeps a password out of the command line altogether. Not on Windows,
 * where the title is the console window's. Returns whether a password was found.
 */
export function hidePasswordsFromProcessList(argv: string[]): boolean {
  const args = argv.slice(2);
  if (!args.some(mayHoldSecret)) return false;
  const masked = args.map((a) => redactSecrets(redactUrl(a)));
  if (masked.every((a, i) => a === args[i])) return false;
  if (process.platform !== 'win32') process.title = ['godwit', ...masked].join(' ');
  return true;
}
