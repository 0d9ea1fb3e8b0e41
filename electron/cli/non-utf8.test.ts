import { describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, sqlOn } from '../engine/testing/test-database.ts';
import { copyDemoProject } from '../engine/testing/temp-project.ts';
import { runGodwit } from './testing/run-cli.ts';

describe('a migration.sql that is not UTF-8', () => {
  it('stops every command with exit 2 and one line naming the file and the byte, before anything runs', async () => {
    const project = await copyDemoProject();
    const db = await createTestDatabase();
    try {
      await mkdir(join(project.dir, 'migrations', '20990101000000_latin1'));
      // "-- " then 0xC3 0x28: a UTF-8 lead byte followed by something that is not a continuation byte.
      await writeFile(join(project.dir, 'migrations', '20990101000000_latin1', 'migration.sql'), Buffer.from([0x2d, 0x2d, 0x20, 0xc3, 0x28, 0x0a]));
      for (const command of [['up', '--yes'], ['status'], ['sql']]) {
        const run = await runGodwit(['--project', project.dir, '--url', db.url, ...command]);
        expect(run.code, command.join(' ')).toBe(2);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toContain('migrations/20990101000000_latin1/migration.sql is not valid UTF-8: byte 3 (0xc3)');
      }
      expect(await sqlOn(db.url, "SELECT to_regclass('_prisma_migrations')::text AS t")).toEqual([{ t: null }]);
    } finally {
      await db.drop();
      await project.remove();
    }
  });

  it('a down.sql that is not UTF-8 stops the rollback that needs it, before anything runs; other commands work', async () => {
    const project = await copyDemoProject();
    const db = await createTestDatabase();
    try {
      await mkdir(join(project.dir, 'migrations', '20990101000000_latin1_down'));
      await writeFile(join(project.dir, 'migrations', '20990101000000_latin1_down', 'migration.sql'), 'CREATE TABLE "latin1_down" (id int);\n');
      await writeFile(join(project.dir, 'migrations', '20990101000000_latin1_down', 'down.sql'), Buffer.from([0x2d, 0x2d, 0x20, 0xc3, 0x28, 0x0a]));
      const godwit = (...args: string[]) => runGodwit(['--project', project.dir, '--url', db.url, ...args]);
      expect((await godwit('up', '--yes')).code).toBe(0);
      expect((await godwit('status')).code).toBe(0);
      const down = await godwit('down', '--yes');
      expect(down.code).toBe(2);
      expect(down.stderr.trim().split('\n')).toHaveLength(1);
      expect(down.stderr).toContain('migrations/20990101000000_latin1_down/down.sql is not valid UTF-8: byte 3 (0xc3)');
      expect(await sqlOn(db.url, "SELECT to_regclass('latin1_down')::text AS t")).toEqual([{ t: 'latin1_down' }]);
    } finally {
      await db.drop();
      await project.remove();
    }
  });
});
