import { execFile } from 'node:child_process';

/** A script on plain psql's standard input (no -v options), as `godwit sql | psql` sends it. */
export function psqlStdin(url: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('psql', ['-X', '-q', '-d', url], (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(sql);
  });
}
