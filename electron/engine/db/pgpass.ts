import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where libpq looks for the password file: PGPASSFILE, else ~/.pgpass. */
export function pgpassFile(): string {
  return process.env.PGPASSFILE || join(homedir(), '.pgpass');
}

/** Splits one line on unescaped ':' and undoes `\:` and `\\`, as libpq does. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) cur += line[++i];
    else if (ch === ':') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export interface PgpassKey {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * The password libpq would take from the password file for this connection, or undefined. As libpq: a socket path or
 * empty host matches `localhost`, `*` matches anything, the first matching line wins, and a file readable by group or
 * others is ignored (libpq warns; we stay silent so nothing about passwords reaches the output).
 */
export function pgpassPassword(key: PgpassKey, file = pgpassFile()): string | undefined {
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile() || (process.platform !== 'win32' && (st.mode & 0o077) !== 0)) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const host = !key.host || key.host.startsWith('/') ? 'localhost' : key.host;
  const wanted = [host, String(key.port), key.database, key.user];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    const f = fields(raw);
    if (f.length < 5) continue;
    if (wanted.every((w, i) => f[i] === '*' || f[i] === w)) return f.slice(4).join(':');
  }
  return undefined;
}
