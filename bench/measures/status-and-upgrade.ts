import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { openProject, rollback, selectEnvironments, upgrade, withEnvironment } from '../../electron/engine/index.ts';
import { connectPostgres } from '../../electron/engine/db/connect-postgres.ts';
import { readMigrationsFolder } from '../../electron/engine/migrations/read-folder.ts';
import { readEnvironmentStatus } from '../../electron/engine/status/environment-status.ts';
import { BenchDatabases } from '../databases.ts';
import { measure, ratioResult, runProcess, stats, type BenchContext, type BenchResult } from '../harness.ts';
import { generateMigrations, writeProject, type GeneratedMigration } from '../workloads/generate-project.ts';

export const migrationCount = (ctx: BenchContext) => (ctx.quick ? 24 : 1000);

async function project(ctx: BenchContext): Promise<{ dir: string; migrations: GeneratedMigration[] }> {
  const migrations = generateMigrations(migrationCount(ctx));
  const dir = await writeProject(join(ctx.tmp, 'project'), migrations);
  return { dir, migrations };
}

/** B1: status of three environments at different positions, warm and in-process, against raw pg + readdir. */
export async function benchStatus(ctx: BenchContext): Promise<BenchResult[]> {
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const { dir, migrations } = await project(ctx);
    const open = await openProject(dir);
    const urls = [await dbs.create('b1a'), await dbs.create('b1b'), await dbs.create('b1c')];
    const positions = [migrations.length, migrations.length - 10, Math.floor(migrations.length / 2)];
    for (const [i, url] of urls.entries()) {
      const [env] = selectEnvironments(open.project, { url });
      await withEnvironment(env!, (db) => upgrade({ db, env: env!, folder: open.folder }, { to: migrations[positions[i]! - 1]!.name }));
    }
    const envs = urls.map((url) => selectEnvironments(open.project, { url })[0]!);
    const conns = await Promise.all(urls.map((url) => connectPostgres({ url })));
    const raw = await Promise.all(urls.map(async (url) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }));
    try {
      const godwitRun = async () => {
        const folder = await readMigrationsFolder(open.project.migrationsDir, dir);
        await Promise.all(conns.map((db, i) => readEnvironmentStatus(db, envs[i]!, folder)));
      };
      const baselineRun = async () => {
        const root = open.project.migrationsDir;
        const names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
        await Promise.all(names.map((n) => readFile(join(root, n, 'migration.sql'), 'utf8')));
        await Promise.all(raw.map((c) => c.query('SELECT * FROM _prisma_migrations ORDER BY started_at')));
      };
      await godwitRun();
      await baselineRun();
      const runs = ctx.quick ? 3 : 15;
      const godwit = stats(await measure(runs, godwitRun));
      const baseline = stats(await measure(runs, baselineRun));
      return [ratioResult({
        id: 'B1', what: `engine status, 3 environments × ${migrations.length} migrations, warm, in-process`, unit: 'ms',
        godwit, baseline, baselineName: 'raw pg reading _prisma_migrations ×3 + reading the folder', target: '≤ 3× and < 300 ms',
      }, (ratio, median) => ratio <= 3 && median < 300)];
    } finally {
      await Promise.all(conns.map((c) => c.close()));
      await Promise.all(raw.map((c) => c.end()));
    }
  } finally {
    await dbs.dropAll();
  }
}

/** Writes the psql baseline scripts: every file in one session, each wrapped in BEGIN/COMMIT. */
async function psqlScripts(ctx: BenchContext, migrations: GeneratedMigration[]): Promise<{ up: string; down: string }> {
  const up = join(ctx.tmp, 'up.sql');
  const down = join(ctx.tmp, 'down.sql');
  await writeFile(up, migrations.map((m) => `BEGIN;\n${m.up}COMMIT;\n`).join(''));
  await writeFile(down, [...migrations].reverse().map((m) => `BEGIN;\n${m.down}COMMIT;\n`).join(''));
  return { up, down };
}

const psql = (url: string, file: string) => runProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file]);

/** B2 and B4: upgrade of N migrations on an empty database, and rollback to base, against psql. */
export async function benchUpDown(ctx: BenchContext): Promise<BenchResult[]> {
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const { dir, migrations } = await project(ctx);
    const scripts = await psqlScripts(ctx, migrations);
    const runs = ctx.quick ? 1 : 6;
    const up: number[] = [];
    const down: number[] = [];
    const psqlUp: number[] = [];
    const psqlDown: number[] = [];
    const godwitRun = async () => {
      const url = await dbs.create('b2');
      let t = performance.now();
      const open = await openProject(dir);
      const [env] = selectEnvironments(open.project, { url });
      await withEnvironment(env!, async (db) => {
        await upgrade({ db, env: env!, folder: open.folder }, {});
        up.push(performance.now() - t);
        t = performance.now();
        await rollback({ db, env: env!, folder: open.folder }, { base: true });
        down.push(performance.now() - t);
      });
    };
    const psqlRun = async () => {
      const url = await dbs.create('b2psql');
      let t = performance.now();
      await psql(url, scripts.up);
      psqlUp.push(performance.now() - t);
      t = performance.now();
      await psql(url, scripts.down);
      psqlDown.push(performance.now() - t);
    };
    // Alternate who goes first: the server's state (checkpoints, caches) must not favour either side.
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        await godwitRun();
        await psqlRun();
      } else {
        await psqlRun();
        await godwitRun();
      }
      await dbs.dropAll();
    }
    const note = 'Godwit in-process: reading the folder, connecting, locking, history rows and audit included; psql as a process.';
    return [
      ratioResult({ id: 'B2', what: `godwit up of ${migrations.length} migrations on an empty database`, unit: 'ms', godwit: stats(up), baseline: stats(psqlUp), baselineName: 'psql, one session, each file in BEGIN/COMMIT', target: '≤ 1.3×', note }, (r) => r <= 1.3),
      ratioResult({ id: 'B4', what: `godwit down --base of ${migrations.length} migrations`, unit: 'ms', godwit: stats(down), baseline: stats(psqlDown), baselineName: 'psql running the down files the same way', target: '≤ 1.3×', note }, (r) => r <= 1.3),
    ];
  } finally {
    await dbs.dropAll();
  }
}
