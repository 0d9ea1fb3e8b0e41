import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { DEMO_PROJECT_DIR } from '../../engine/demo/open-demo.ts';
import { upgrade } from '../../engine/index.ts';
import { addMigration, DEMO_HEAD, onEnv, projectOn, useDatabaseAndProject } from '../../engine/testing/fixtures.ts';
import { databasesLike, sqlOn } from '../../engine/testing/test-database.ts';
import { runGodwit } from '../testing/run-cli.ts';

const current = useDatabaseAndProject({ beforeEach, afterEach });
let blocker: pg.Client | undefined;
afterEach(async () => {
  await blocker?.end().catch(() => undefined);
  blocker = undefined;
});

/** The demo at head with rows, prod (protected) on the test database, and `sql` as the one pending migration. */
async function setUp(sql: string): Promise<{ dir: string; url: string }> {
  const { db, project } = current();
  const { open, env } = await projectOn(project.dir, db.url);
  await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to: DEMO_HEAD }));
  await sqlOn(db.url, `INSERT INTO patients (email, first_name, last_name, date_of_birth, phone_number)
    SELECT 'p' || g || '@x', 'F' || (g % 3), 'L', DATE '2000-01-01', '555' FROM generate_series(1, 9) g`);
  await addMigration(project.dir, '20250501090000_pending', sql);
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: { url: db.url, protected: true } } }));
  return { dir: project.dir, url: db.url };
}

async function holdAccessShare(url: string): Promise<number> {
  blocker = new pg.Client({ connectionString: url, application_name: 'report' });
  await blocker.connect();
  const pid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  await blocker.query('BEGIN');
  await blocker.query('SELECT count(*) FROM patients');
  return pid;
}

const pendingRow = (url: string) => sqlOn(url, "SELECT migration_name FROM _prisma_migrations WHERE migration_name = '20250501090000_pending'");

describe('godwit preflight and the run gate', () => {
  it('names the session holding ACCESS SHARE (exit 1), refuses up on the protected environment, and runs once it is gone', async () => {
    const { dir, url } = await setUp('ALTER TABLE "patients" ADD COLUMN "token" DOUBLE PRECISION DEFAULT random();');
    const pid = await holdAccessShare(url);

    const json = await runGodwit(['--project', dir, 'preflight', '--env', 'prod', '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { clear: boolean; blockers: { pid: number; application: string; ageMs: number; query: string; kinds: string[] }[] };
    expect(report.clear).toBe(false);
    expect(report.blockers).toMatchObject([{ pid, application: 'report', query: 'SELECT count(*) FROM patients', kinds: ['lock-conflict'] }]);
    expect(report.blockers[0]!.ageMs).toBeGreaterThanOrEqual(0);

    const text = await runGodwit(['--project', dir, 'preflight', '--env', 'prod']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`pid ${pid} (user postgres, report, idle in transaction for`);
    expect(text.stdout).toContain('holds AccessShareLock on patients, which conflicts with the AccessExclusiveLock that 20250501090000_pending (line 1) needs');

    const refused = await runGodwit(['--project', dir, 'up', '--env', 'prod', '--yes', '--confirm', 'prod']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`Refusing to upgrade prod: 1 session(s) stand in the way: pid ${pid}`);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(await pendingRow(url)).toEqual([]);
    // --ignore-blockers does not replace the typed name.
    const unnamed = await runGodwit(['--project', dir, 'up', '--env', 'prod', '--yes', '--ignore-blockers']);
    expect(unnamed.code).toBe(2);
    // Refused before any plan is printed: one line, not the plan's BACKUP lines first.
    expect(unnamed.stderr.trim().split('\n')).toEqual(['Error: prod is protected: to upgrade it, pass --yes --confirm prod.']);

    await blocker!.query('ROLLBACK');
    const clear = await runGodwit(['--project', dir, 'preflight', '--env', 'prod', '--json']);
    expect(clear.code).toBe(0);
    expect(JSON.parse(clear.stdout)).toMatchObject({ clear: true, blockers: [], migrations: ['20250501090000_pending'] });
    const ran = await runGodwit(['--project', dir, 'up', '--env', 'prod', '--yes', '--confirm', 'prod']);
    expect(ran.code).toBe(0);
    expect(await pendingRow(url)).toEqual([{ migration_name: '20250501090000_pending' }]);
  });

  it('--ignore-blockers lets the protected run start (lock_timeout then decides)', async () => {
    const { dir, url } = await setUp('CREATE INDEX "patients_last_name_idx" ON "patients"("last_name");');
    await holdAccessShare(url); // ACCESS SHARE does not conflict with CREATE INDEX's SHARE: no blocker at all
    const ran = await runGodwit(['--project', dir, 'up', '--env', 'prod', '--yes', '--confirm', 'prod']);
    expect(ran.code).toBe(0);
    await blocker!.query('ROLLBACK');
    await blocker!.query('BEGIN');
    await blocker!.query('LOCK TABLE patients IN ROW EXCLUSIVE MODE');
    await addMigration(dir, '20250502090000_more', 'CREATE INDEX "patients_email_idx2" ON "patients"("email");');
    const refused = await runGodwit(['--project', dir, 'up', '--env', 'prod', '--yes', '--confirm', 'prod']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds RowExclusiveLock on patients, which conflicts with the ShareLock');
    const forced = await runGodwit(['--project', dir, 'up', '--env', 'prod', '--yes', '--confirm', 'prod', '--ignore-blockers', '--ddl-lock-timeout', '100ms', '--lock-attempts', '1']);
    // Past the gate, the statement's lock_timeout ends it: still pending, nothing queued behind it.
    expect(forced.code).toBe(2);
    expect(forced.stderr).not.toContain('Refusing to upgrade');
    expect(await sqlOn(url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '20250502090000_more' AND finished_at IS NOT NULL")).toEqual([]);
  });

  it('exits 1 on data findings: duplicate groups with sample keys', async () => {
    const { dir } = await setUp('CREATE UNIQUE INDEX "patients_first_name_key" ON "patients"("first_name");');
    const r = await runGodwit(['--project', dir, 'preflight', '--env', 'prod', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { blockers: unknown[]; dataChecks: { kind: string; count: number; rows: number; samples: string[] }[] };
    expect(report.blockers).toEqual([]);
    expect(report.dataChecks).toMatchObject([{ kind: 'unique', status: 'violations', count: 3, rows: 9, samples: ['["F0"]', '["F1"]', '["F2"]'] }]);
  });
});

describe('godwit rehearse', () => {
  it('reports the rewrite beside the prediction and leaves no clone behind', async () => {
    const { dir } = await setUp('ALTER TABLE "patients" ALTER COLUMN "id" TYPE BIGINT;');
    const r = await runGodwit(['--project', dir, 'rehearse', '--env', 'prod', '--sample', '5', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; clone: { database: string; dropped: boolean; rowsCopied: number }; migrations: { statements: { observed: { rewritten: string[] }; predicted: { rewrite: boolean }; matches: { rewrite: boolean } }[] }[] };
    expect(report.ok).toBe(true);
    expect(report.clone).toMatchObject({ dropped: true, rowsCopied: 5 });
    expect(report.migrations[0]!.statements[0]).toMatchObject({ observed: { rewritten: ['patients'] }, predicted: { rewrite: true }, matches: { rewrite: true } });
    expect(await databasesLike(report.clone.database)).toEqual([]);
    const text = await runGodwit(['--project', dir, 'rehearse', '--env', 'prod']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('rewrite  predicted yes  =  observed yes (patients)');
    expect(text.stdout).toMatch(/Clone godwit_rehearse_[0-9a-f]+ dropped\./);
  });
});

describe('godwit rehearse interrupted', () => {
  it('Ctrl+C cancels the running statement, drops the clone and exits 130', async () => {
    const { dir } = await setUp('SELECT pg_sleep(60);\nALTER TABLE "patients" ADD COLUMN "x" INTEGER;');
    const child = spawn(process.execPath, [join(DEMO_PROJECT_DIR, 'bin', 'godwit.cjs'), '--project', dir, 'rehearse', '--env', 'prod'], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const started = new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('rehearsing 1/1')) resolve();
    }));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await started;
    for (let i = 0; i < 500; i++) {
      const busy = await sqlOn(current().db.url, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'godwit-rehearse' AND query LIKE 'SELECT pg_sleep%'");
      if (busy.length) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stderr).toContain('SIGINT: cancelling the rehearsal and dropping the clone');
    const clone = /Clone (godwit_rehearse_[0-9a-f]+) dropped\./.exec(stdout)?.[1];
    expect(clone).toBeDefined();
    expect(await databasesLike(clone!)).toEqual([]);
  });
});

describe('godwit preflight --down', () => {
  it('checks the rows a rollback would fail on: a value its down.sql removes from an enum, still used (ghostfolio)', async () => {
    const { db, project } = current();
    await addMigration(project.dir, '20250501090000_kinds', `CREATE TYPE "Kind" AS ENUM ('BUY', 'SELL');
CREATE TABLE "Order" ("id" INTEGER PRIMARY KEY, "kind" "Kind" NOT NULL);\n`, 'DROP TABLE "Order";\nDROP TYPE "Kind";\n');
    await addMigration(project.dir, '20250502090000_fee', `ALTER TYPE "Kind" ADD VALUE 'FEE';\n`, `CREATE TYPE "Kind_new" AS ENUM ('BUY', 'SELL');
ALTER TABLE "Order" ALTER COLUMN "kind" TYPE "Kind_new" USING ("kind"::text::"Kind_new");
ALTER TYPE "Kind" RENAME TO "Kind_old";
ALTER TYPE "Kind_new" RENAME TO "Kind";
DROP TYPE "Kind_old";\n`);
    const at = ['--project', project.dir, '--url', db.url];
    expect((await runGodwit([...at, 'up', '--yes'])).code).toBe(0);
    await sqlOn(db.url, `INSERT INTO "Order" VALUES (1, 'BUY'), (2, 'FEE'), (3, 'FEE')`);
    const report = await runGodwit([...at, 'preflight', '--down', '--json']);
    expect(report.code).toBe(1);
    const json = JSON.parse(report.stdout) as { direction: string; migrations: string[]; dataChecks: { kind: string; status: string; count: number; detail: string }[] };
    expect(json).toMatchObject({ direction: 'down', migrations: ['20250502090000_fee'] });
    expect(json.dataChecks.map((c) => [c.kind, c.status, c.count])).toEqual([['type-cast', 'violations', 2]]);
    const text = await runGodwit([...at, 'preflight', '--down']);
    expect(text.stdout).toContain('1 migration(s) to roll back');
    await sqlOn(db.url, `DELETE FROM "Order" WHERE kind = 'FEE'`);
    expect((await runGodwit([...at, 'preflight', '--down'])).code).toBe(0);
    expect((await runGodwit([...at, 'preflight', '--steps', '2'])).stderr).toContain('--steps and --base go with --down.');
  });
});
