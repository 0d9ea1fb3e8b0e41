/**
 * Where environment passwords live when they are not in an env: variable. The desktop app keeps them encrypted with
 * Electron's safeStorage; browser mode keeps them in memory for the session. Values never go back to the renderer.
 */
export interface SecretStore {
  /** Human words for where passwords go, shown in the environment editor. */
  readonly description: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string | null): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  readonly description = 'kept in memory until browser mode stops (never written to disk)';
  private readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async set(key: string, value: string | null) {
    if (value === null) this.values.delete(key);
    else this.values.set(key, value);
  }
}

/** The key of an environment's password: per project folder and environment name. */
export const secretKey = (projectDir: string, env: string) => `${projectDir}\u0000${env}`;

/** The URL with the stored password put in, when the URL has none of its own. */
export function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  try {
    const u = new URL(url);
    if (u.password) return url;
    u.password = encodeURIComponent(password);
    return u.toString();
  } catch {
    return url;
  }
}
