import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentStatus, openProject, previewSql, rollback, selectEnvironments, upgrade, withEnvironment, MigrationFailedError } from '../index.ts';
import { openDemo } from './open-demo.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD } from '../testing/fixtures.ts';
import { copyDemoProject } from '../testing/temp-project.ts';
import type { Environment } from '../project/environments.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-demo-'));
  process.env.GODWIT_DATA_DIR = dataDir;
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('the embedded demo (PGlite)', () => {
  it('opens three environments at head, one behind and three behind, and upgrades and rolls back', async () => {
    const open = await openDemo();
    const envs = selectEnvironments(open.project, { all: true });
    expect(envs.map((e) => [e.name, e.protected, e.target.kind])).toEqual([
      ['dev', false, 'embedded'], ['test', false, 'embedded'], ['prod', true, 'embedded'],
    ]);
    const statuses = [];
    for (const env of envs) statuses.push(await withEnvironment(env, (db) => environmentStatus(open, env, db)));
    expect(statuses.map((s) => s.summary.pending)).toEqual([0, 1, 3]);
    expect(statuses[0]!.head).toBe(DEMO_HEAD);
    expect(statuses[2]!.head).toBe(open.folder.migrations[DEMO_COUNT - 4]!.name);

    const test = envs[1]!;
    await withEnvironment(test, async (db) => {
      const { sql } = await previewSql(open, test, db, { direction: 'up' });
      expect(sql).toContain(`-- Upgrade: ${DEMO_HEAD} (migration.sql)`);
      const up = await upgrade({ db, env: test, folder: open.folder }, {});
      expect(up.completed.map((c) => c.name)).toEqual([DEMO_HEAD]);
      const down = await rollback({ db, env: test, folder: open.folder }, { steps: 2 });
      expect(down.headAfter).toBe(open.folder.migrations[DEMO_COUNT - 3]!.name);
      const status = await environmentStatus(open, test, db);
      expect(status.summary.pending).toBe(2);
    });
    // Opening again does not reseed: positions persist in the data directory.
    const again = await openDemo();
    const prod = selectEnvironments(again.project, { env: ['prod'] })[0]!;
    const prodStatus = await withEnvironment(prod, (db) => environmentStatus(again, prod, db));
    expect(prodStatus.summary.pending).toBe(3);
    await expect(withEnvironment(prod, (db) => upgrade({ db, env: prod, folder: again.folder }, {}))).rejects.toThrow(/protected/);
  });

  it('rolls a failing migration back on PGlite too: no table, no history row', async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_broken', 'CREATE TABLE "half" (id int);\nSELECT * FROM "does_not_exist";\n');
      const open = await openProject(project.dir);
      const env: Environment = { name: 'mem', protected: false, display: 'embedded:mem', target: { kind: 'embedded', name: 'mem', dataDir: 'memory://' } };
      await withEnvironment(env, async (db) => {
        const err = await upgrade({ db, env, folder: open.folder }, {}).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(MigrationFailedError);
        expect((err as MigrationFailedError).failure).toMatchObject({ statementIndex: 2, line: 2, rolledBack: true });
        expect(await db.query("SELECT to_regclass('half')::text AS t")).toEqual([{ t: null }]);
        expect(await db.query("SELECT migration_name FROM _prisma_migrations WHERE migration_name LIKE '2099%'")).toEqual([]);
        const status = await environmentStatus(open, env, db);
        expect(status.head).toBe(DEMO_HEAD);
      });
    } finally {
      await project.remove();
    }
  });
});
