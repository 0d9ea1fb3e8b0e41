import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createTestDatabase, sqlOn } from '../electron/engine/testing/test-database.ts';
import { copyDemoProject } from '../electron/engine/testing/temp-project.ts';
import { openProject, selectEnvironments, upgrade, withEnvironment } from '../electron/engine/index.ts';
import { serveProject, type AppOptions } from './fixtures.ts';

/** What the generated history holds, so specs can check the confirmation's counts. */
export interface LargeHistory {
  names: string[];
  destructive: number;
  outsideTransaction: number;
  withoutDown: number;
}

/**
 * A history of `count` small migrations, like a long-lived product's: mostly CREATE TABLE, every 250th drops the
 * previous table, every 400th (+7) builds an index CONCURRENTLY (outside a transaction), every 500th (+3) has no
 * down.sql.
 */
export async function writeLargeHistory(dir: string, count: number): Promise<LargeHistory> {
  await rm(join(dir, 'migrations'), { recursive: true, force: true });
  const h: LargeHistory = { names: [], destructive: 0, outsideTransaction: 0, withoutDown: 0 };
  for (let i = 1; i <= count; i++) {
    const name = `${20240000000000 + i * 100}_step_${String(i).padStart(4, '0')}`;
    let up = `CREATE TABLE "t${i}" (id int);\n`;
    let down: string | null = `DROP TABLE "t${i}";\n`;
    if (i % 250 === 0) {
      up = `DROP TABLE "t${i - 1}";\n`;
      down = `CREATE TABLE "t${i - 1}" (id int);\n`;
      h.destructive++;
    } else if (i % 400 === 7) {
      up = `CREATE INDEX CONCURRENTLY "t${i - 1}_id_idx" ON "t${i - 1}" (id);\n`;
      down = `DROP INDEX "t${i - 1}_id_idx";\n`;
      h.outsideTransaction++;
    }
    if (i % 500 === 3) {
      down = null;
      h.withoutDown++;
    }
    const folder = join(dir, 'migrations', name);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'migration.sql'), up);
    if (down !== null) await writeFile(join(folder, 'down.sql'), down);
    h.names.push(name);
  }
  await writeFile(join(dir, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
  return h;
}

/**
 * The app on a `count`-migration project: dev (at base) and prod (protected, the first `prodApplied` applied, plus
 * a hotfix applied there that the folder lacks — a diverged history).
 */
export async function startLargeApp(browser: Browser, count: number, opts: AppOptions & { prodApplied?: number } = {}) {
  const project = await copyDemoProject();
  const history = await writeLargeHistory(project.dir, count);
  const dbs = { dev: await createTestDatabase(), prod: await createTestDatabase() };
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: dbs.dev.url }, prod: { url: dbs.prod.url, protected: true } } }));
  const open = await openProject(project.dir);
  const [prod] = selectEnvironments(open.project, { env: ['prod'] });
  await withEnvironment(prod!, (db) => upgrade({ db, env: prod!, folder: open.folder }, { to: history.names[(opts.prodApplied ?? 10) - 1], confirm: 'prod' }));
  await sqlOn(dbs.prod.url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('hotfix', 'abc', '20240000000150_hotfix_on_prod', now(), 1)`);
  const app = await serveProject(browser, project, dbs, opts);
  return { app, history };
}
