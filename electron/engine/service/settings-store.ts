import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { godwitDataDir } from '../util/data-dir.ts';

export interface Settings {
  theme: 'system' | 'light' | 'dark';
  recentProjects: string[];
}

const DEFAULTS: Settings = { theme: 'system', recentProjects: [] };

/** Settings and recent projects, kept as JSON in the data directory (no secrets are ever stored here). */
export class SettingsStore {
  constructor(private readonly file = join(godwitDataDir(), 'settings.json')) {}

  async read(): Promise<Settings> {
    try {
      return { ...DEFAULTS, ...(JSON.parse(await readFile(this.file, 'utf8')) as Partial<Settings>) };
    } catch {
      return { ...DEFAULTS };
    }
  }

  async update(change: (s: Settings) => Settings): Promise<Settings> {
    const next = change(await this.read());
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, JSON.stringify(next, null, 2));
    return next;
  }

  async addRecent(dir: string): Promise<Settings> {
    return this.update((s) => ({ ...s, recentProjects: [dir, ...s.recentProjects.filter((d) => d !== dir)].slice(0, 10) }));
  }
}
