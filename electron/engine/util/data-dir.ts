import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Godwit keeps embedded databases and the local audit fallback: $GODWIT_DATA_DIR, else the OS convention. */
export function godwitDataDir(): string {
  if (process.env.GODWIT_DATA_DIR) return process.env.GODWIT_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Godwit');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Godwit');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'godwit');
}
