import { safeStorage } from 'electron';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretStore } from '../engine/service/secret-store.ts';

/** Passwords encrypted with the OS keychain through Electron's safeStorage, in a file of the user-data directory. */
export class SafeStorageSecretStore implements SecretStore {
  readonly description = 'encrypted with your system keychain in Godwit\'s user-data folder';
  constructor(private readonly file: string) {}

  private async all(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = (await this.all())[key];
    return sealed ? safeStorage.decryptString(Buffer.from(sealed, 'base64')) : undefined;
  }

  async set(key: string, value: string | null): Promise<void> {
    if (value !== null && !safeStorage.isEncryptionAvailable()) throw new Error('The system keychain is not available; use an env: variable instead.');
    const all = await this.all();
    if (value === null) delete all[key];
    else all[key] = safeStorage.encryptString(value).toString('base64');
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, JSON.stringify(all), { mode: 0o600 });
  }
}
