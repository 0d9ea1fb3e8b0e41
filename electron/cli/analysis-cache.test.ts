import { describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { copyDemoProject } from '../engine/testing/temp-project.ts';
import { DEMO_PROJECT_DIR } from '../engine/demo/open-demo.ts';
import { scriptKey } from '../engine/sql/analysis-cache.ts';
import { runGodwit } from './testing/run-cli.ts';

const DESTRUCTIVE = `UPDATE "cache_probe" SET "note" = 'changed' WHERE "id" > 1;\nALTER TABLE "cache_probe" DROP COLUMN "extra";\n`;

const DOWN = 'ALTER TABLE "cache_probe" ADD COLUMN "extra" TEXT NOT NULL;\n';

describe('godwit up and down with what parsing told an earlier run', () => {
  it('plans, backs up, rolls back, restores and reports exactly as with every script parsed afresh', async () => {
    const project = await copyDemoProject();
    const dbs: TestDatabase[] = [];
    try {
      const add = async (name: string, sql: string, down?: string) => {
        await mkdir(join(project.dir, 'migrations', name));
        await writeFile(join(project.dir, 'migrations', name, 'migration.sql'), sql);
        if (down) await writeFile(join(project.dir, 'migrations', name, 'down.sql'), down);
      };
      await add('20990101000000_cache_probe', `CREATE TABLE "cache_probe" ("id" int PRIMARY KEY, "note" text, "extra" text);\nINSERT INTO "cache_probe" SELECT g, 'n' || g, 'e' || g FROM generate_series(1, 5) g;\n`);
      // Rolled back, the dropped column comes back NOT NULL: sent without it, refilled from the backup, then set.
      await add('20990101000100_cache_probe_destroy', DESTRUCTIVE, DOWN);
      const run = async (env: Record<string, string>) => {
        const db = await createTestDatabase();
        dbs.push(db);
        const r = await runGodwit(['--project', project.dir, '--url', db.url, 'up', '--yes'], { env });
        expect(r.code, r.stderr).toBe(0);
        const backups = await sqlOn(db.url, 'SELECT migration_name, kind, table_name, column_name, rows::int FROM godwit.backups ORDER BY seq');
        const down = await runGodwit(['--project', project.dir, '--url', db.url, 'down', '--yes'], { env });
        expect(down.code, down.stderr).toBe(0);
        const restored = await sqlOn(db.url, 'SELECT id, note, extra FROM cache_probe ORDER BY id');
        const said = [r.stdout, r.stderr, down.stdout, down.stderr].join('\n').replaceAll(db.url.replace(/\/[^/]*$/, ''), 'URL').replace(/\b\w+_test_\w+\b/g, 'DB').replace(/\(\d+ ms\)/g, '(ms)').replace(/godwit\.\w+/g, 'godwit.BACKUP');
        return { said, backups, restored };
      };
      const parsed = await run({ GODWIT_ANALYSIS_CACHE: 'off' });
      expect(parsed.backups).toEqual([
        { migration_name: '20990101000100_cache_probe_destroy', kind: 'update', table_name: 'cache_probe', column_name: null, rows: 4 },
        { migration_name: '20990101000100_cache_probe_destroy', kind: 'drop-column', table_name: 'cache_probe', column_name: 'extra', rows: 5 },
      ]);
      expect(parsed.restored).toEqual([1, 2, 3, 4, 5].map((id) => ({ id, note: `n${id}`, extra: `e${id}` })));
      expect(parsed.said).toContain('sent without NOT NULL');
      const first = await run({});
      const second = await run({});
      expect(first).toEqual(parsed);
      expect(second).toEqual(parsed);
      // The record is in the bundle's folder, under the script's hash, with the backup targets found in it.
      const manifest = JSON.parse(await readFile(join(DEMO_PROJECT_DIR, 'node_modules', '.cache', 'godwit', 'manifest.json'), 'utf8')) as { dir: string };
      const records = JSON.parse(await readFile(join(DEMO_PROJECT_DIR, 'node_modules', '.cache', 'godwit', manifest.dir, 'script-analysis.json'), 'utf8'));
      expect(records[scriptKey(DESTRUCTIVE)].m['backup-targets/1'].map((t: { kind: string }) => t.kind)).toEqual(['update', 'drop-column']);
      expect(Object.keys(records[scriptKey(DOWN)].m).sort()).toEqual(['down-sets/1', 'not-null-adds/1']);
    } finally {
      for (const db of dbs) await db.drop();
      await project.remove();
    }
  }, 120_000);

  it('names the failing statement and line of a script whose parse it did not need to repeat', async () => {
    const project = await copyDemoProject();
    const dbs: TestDatabase[] = [];
    try {
      await mkdir(join(project.dir, 'migrations', '20990101000000_fails'));
      await writeFile(join(project.dir, 'migrations', '20990101000000_fails', 'migration.sql'), 'CREATE TABLE "fails_a" (id int);\n\nSELECT 1 / 0;\nCREATE TABLE "fails_b" (id int);\n');
      const run = async (env: Record<string, string>) => {
        const db = await createTestDatabase();
        dbs.push(db);
        const r = await runGodwit(['--project', project.dir, '--url', db.url, 'up', '--yes'], { env });
        expect(r.code).not.toBe(0);
        return `${r.stdout}\n${r.stderr}`.replaceAll(db.name, 'DB').replace(/\(\d+ ms\)/g, '(ms)');
      };
      const parsed = await run({ GODWIT_ANALYSIS_CACHE: 'off' });
      expect(parsed).toMatch(/20990101000000_fails\/migration\.sql failed at statement 2 \(line 3\)/);
      expect(await run({})).toEqual(parsed);
      expect(await run({})).toEqual(parsed);
    } finally {
      for (const db of dbs) await db.drop();
      await project.remove();
    }
  }, 120_000);
});
