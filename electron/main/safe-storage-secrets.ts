import type { SafeStorage } from 'electron';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MemorySecretStore, type SecretStore } from '../engine/service/secret-store.ts';

/** Passwords encrypted with the OS keychain through Electron's safeStorage, in a file of the user-data directory. */
export class SafeStorageSecretStore implements SecretStore {
  readonly description = 'encrypted with your system keychain in Godwit\'s user-data folder';
  constructor(private readonly safeStorage: SafeStorage, private readonly file: string) {}

  private async all(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = (await this.all())[key];
    return sealed ? this.safeStorage.decryptString(Buffer.from(sealed, 'base64')) : undefined;
  }

  async set(key: string, value: string | null): Promise<void> {
    if (value !== null && !this.safeStorage.isEncryptionAvailable()) throw new Error('The system keychain is not available; use an env: variable instead.');
    const all = await this.all();
    if (value === null) delete all[key];
    else all[key] = this.safeStorage.encryptString(value).toString('base64');
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, JSON.stringify(all), { mode: 0o600 });
  }
}

/** Memory only: where safeStorage's "encryption" would be a fixed key anyone can read (Linux without a keyring). */
class MemoryOnlySecretStore implements SecretStore {
  readonly description = 'kept in memory only until Godwit quits: this system has no keyring (Electron\'s safeStorage would use its basic_text backend, which is not real encryption), so nothing is written to disk';
  private readonly memory = new MemorySecretStore();
  get(key: string) {
    return this.memory.get(key);
  }
  set(key: string, value: string | null) {
    return this.memory.set(key, value);
  }
}

/**
 * The secret store for this system. On Linux without a keyring, safeStorage falls back to `basic_text` (a hard-coded
 * key): passwords are then kept in memory only, and the environment editor says so. Call after the app is ready.
 */
export function secretStoreFor(safeStorage: SafeStorage, file: string, platform = process.platform): SecretStore {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text' || backend === 'unknown' || !safeStorage.isEncryptionAvailable()) return new MemoryOnlySecretStore();
  return new SafeStorageSecretStore(safeStorage, file);
}
