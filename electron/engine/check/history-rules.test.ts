import { describe, expect, it } from 'vitest';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { namingFindings } from './history-rules.ts';

const folder = (...names: string[]) => ({ migrations: names.map((name) => ({ name })) }) as unknown as MigrationsFolder;
const messages = (...names: string[]) => namingFindings(folder(...names)).map((f) => `${f.rule} ${f.migration}: ${f.message}`);

describe('migration folder names', () => {
  it('accepts a history numbered its own way throughout (umami: 01_init, 02_…), as Prisma runs any name in order', () => {
    expect(messages('01_init', '02_adding_teams', '19_add_session_data')).toEqual([]);
    // One that breaks the folder's own scheme sorts wrongly: 100_x before 19_x.
    expect(messages('01_init', '19_add', '100_more')).toHaveLength(3);
  });

  it('names the real reason: characters after the timestamp, not a missing timestamp', () => {
    expect(messages('20241130164335_added_api_keys_to_user copy')).toEqual([
      'ordering/bad-name 20241130164335_added_api_keys_to_user copy: "20241130164335_added_api_keys_to_user copy" is not a Prisma migration name (YYYYMMDDHHMMSS_name): after its number it has characters other than letters, digits, _ and - (" ").',
    ]);
    expect(messages('2025-03-02_c')[0]).toMatch(/it does not start with a 14-digit timestamp and an underscore\.$/);
    expect(messages('20251340000000_d')[0]).toMatch(/20251340000000 is not a valid date and time\.$/);
  });
});
