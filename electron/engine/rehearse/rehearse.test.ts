import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upgrade } from '../index.ts';
import { addMigration, DEMO_HEAD, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { databasesLike, sqlOn } from '../testing/test-database.ts';
import { rehearse } from './rehearse.ts';

const current = useDatabaseAndProject({ beforeEach, afterEach });

/** The demo applied to head with some rows, then one more (pending) migration. */
async function withPending(sql: string) {
  const { db, project } = current();
  const first = await projectOn(project.dir, db.url);
  await onEnv(first.env, (conn) => upgrade({ db: conn, env: first.env, folder: first.open.folder }, { to: DEMO_HEAD }));
  await sqlOn(db.url, `INSERT INTO patients (email, first_name, last_name, date_of_birth, phone_number) SELECT 'p' || g || '@x', 'F', 'L' || g, DATE '2000-01-01', '555' FROM generate_series(1, 30) g;
    INSERT INTO patient_symptoms (patient_id, symptom, severity) SELECT 1 + g % 30, 's', 1 FROM generate_series(1, 40) g`);
  await addMigration(project.dir, '20250501090000_pending', sql);
  return projectOn(project.dir, db.url);
}


describe('rehearse', () => {
  it('reports a table rewrite beside the prediction, with the locks pg_locks showed, and drops the clone', async () => {
    const { open, env } = await withPending(`ALTER TABLE "patients" ADD COLUMN "token" DOUBLE PRECISION DEFAULT random();
ALTER TABLE "patients" ADD COLUMN "nickname" TEXT;
CREATE INDEX "patients_last_name_idx" ON "patients"("last_name");`);
    const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }, { sample: 10 }));
    expect(report.ok).toBe(true);
    expect(report.clone).toMatchObject({ schemaSource: 'pg_dump', sampleRows: 10, dropped: true });
    // 10 patients, and of the 10 symptoms copied only those whose patient was copied.
    expect(report.clone!.rowsCopied).toBeGreaterThanOrEqual(10);
    expect(report.clone!.rowsCopied).toBeLessThanOrEqual(20);
    const [m] = report.migrations;
    expect(m).toMatchObject({ name: '20250501090000_pending', transactional: true, status: 'ok' });
    const [rewrite, plain, index] = m!.statements;
    expect(rewrite).toMatchObject({
      status: 'ok',
      observed: { locks: [{ relation: 'patients', mode: 'AccessExclusiveLock' }], rewritten: ['patients'], sampled: false },
      predicted: { locks: [{ relation: 'patients', mode: 'AccessExclusiveLock' }], rewrite: true },
      matches: { locks: true, rewrite: true },
    });
    expect(rewrite!.durationMs).toBeGreaterThanOrEqual(0);
    expect(plain).toMatchObject({ observed: { rewritten: [] }, predicted: { rewrite: false }, matches: { locks: true, rewrite: true } });
    expect(index).toMatchObject({ observed: { locks: [{ relation: 'patients', mode: 'ShareLock' }], rewritten: [] }, matches: { locks: true, rewrite: true } });
    // The clone is gone; the environment itself did not change.
    expect(await databasesLike(report.clone!.database)).toEqual([]);
    expect(await sqlOn(current().db.url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'patients' AND column_name = 'token'")).toEqual([]);
  });

  it('rehearses a script that opens with its own BEGIN and SET TRANSACTION ISOLATION LEVEL, as up runs it', async () => {
    const { open, env } = await withPending(`BEGIN;
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
ALTER TABLE "patients" ADD COLUMN "level" TEXT;
UPDATE "patients" SET "level" = current_setting('transaction_isolation');
COMMIT;`);
    const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }, { sample: 5 }));
    expect(report.migrations[0]!.statements.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(report.ok).toBe(true);
  });

  it('reports the failing statement, skips the rest, and still drops the clone', async () => {
    const { open, env } = await withPending(`ALTER TABLE "patients" ADD COLUMN "x" INTEGER;
ALTER TABLE "patient_symptoms" ADD CONSTRAINT "severity_high" CHECK ("severity" > 3);
ALTER TABLE "patients" ADD COLUMN "y" INTEGER;`);
    const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }, { sample: 5 }));
    expect(report.ok).toBe(false);
    expect(report.migrations[0]!.status).toBe('failed');
    expect(report.migrations[0]!.statements.map((s) => s.status)).toEqual(['ok', 'failed', 'not-run']);
    expect(report.migrations[0]!.statements[1]!.error).toMatchObject({ code: '23514' });
    expect(report.clone!.dropped).toBe(true);
    expect(await databasesLike(report.clone!.database)).toEqual([]);
  });

  it('samples the locks of a statement that runs outside a transaction', async () => {
    const { open, env } = await withPending('CREATE INDEX CONCURRENTLY "patients_first_name_idx" ON "patients"("first_name");\nDROP INDEX CONCURRENTLY "patients_first_name_idx";');
    const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }));
    const [s] = report.migrations[0]!.statements;
    expect(report.migrations[0]!.transactional).toBe(false);
    // The watcher's snapshot makes it wait, so its locks are seen however fast the build is.
    expect(s).toMatchObject({
      status: 'ok',
      observed: { sampled: true, rewritten: [], locks: [{ relation: 'patients', mode: 'ShareUpdateExclusiveLock' }] },
      predicted: { locks: [{ relation: 'patients', mode: 'ShareUpdateExclusiveLock' }] },
      matches: { locks: true, rewrite: true },
    });
    // Its waiting phase is always seen; its brief final ACCESS EXCLUSIVE on the index (once nobody can use the index)
    // only when a poll falls on it.
    const drop = report.migrations[0]!.statements[1]!;
    expect(drop.status).toBe('ok');
    expect(drop.observed!.locks[0]).toEqual({ relation: 'patients', mode: 'ShareUpdateExclusiveLock' });
    expect(drop.observed!.locks[1]!.relation).toBe('patients_first_name_idx');
    expect(['ShareUpdateExclusiveLock', 'AccessExclusiveLock']).toContain(drop.observed!.locks[1]!.mode);
    expect(report.clone!.dropped).toBe(true);
  });

  it('outside a transaction, a block the script opens itself does not deadlock the lock watcher on the locks it holds', async () => {
    // CONCURRENTLY: statement by statement. The script's BEGIN leaves its session holding ACCESS EXCLUSIVE on patients
    // between statements; a watcher that waited for ACCESS SHARE there waited forever (formbricks, a 10-minute hang).
    const { open, env } = await withPending(`CREATE INDEX CONCURRENTLY "patients_phone_idx" ON "patients"("phone_number");
BEGIN;
ALTER TABLE "patients" ADD COLUMN "a" TEXT;
ALTER TABLE "patients" ADD COLUMN "b" TEXT;
COMMIT;`);
    const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }));
    expect(report.migrations[0]!.transactional).toBe(false);
    expect(report.migrations[0]!.statements.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(report.migrations[0]!.statements[3]!.observed!.locks).toEqual([{ relation: 'patients', mode: 'AccessExclusiveLock' }]);
    expect(report.clone!.dropped).toBe(true);
  }, 30_000);

  it('an abort cancels the running statement at once and still drops the clone', async () => {
    const { open, env } = await withPending('SELECT pg_sleep(60);\nALTER TABLE "patients" ADD COLUMN "late" TEXT;');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 1500);
    const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }, { signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(report.migrations[0]!.statements.map((s) => s.status)).toEqual(['failed', 'not-run']);
    expect(report.clone!.dropped).toBe(true);
    expect(await databasesLike(report.clone!.database)).toEqual([]);
  }, 60_000);

  it('copies sequence positions with the sample, so a data migration does not collide with copied rows', async () => {
    const { open, env } = await withPending(`INSERT INTO "patients" ("email", "first_name", "last_name", "date_of_birth", "phone_number") VALUES ('new@x', 'N', 'N', DATE '2000-01-01', '1');`);
    const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }, { sample: 10 }));
    expect(report.migrations[0]!.statements[0]).toMatchObject({ status: 'ok' });
    expect(report.ok).toBe(true);
  });

  it('makes no clone when nothing is pending', async () => {
    const { db, project } = current();
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    const report = await onEnv(env, (conn) => rehearse({ db: conn, env, folder: open.folder }));
    expect(report).toMatchObject({ clone: null, migrations: [], ok: true });
  });
});

describe('rehearse without pg_dump or without CREATEDB', () => {
  it('rebuilds the schema from the applied migrations when pg_dump cannot be run, and says so', async () => {
    const { open, env } = await withPending('ALTER TABLE "patients" ALTER COLUMN "id" TYPE BIGINT;');
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const report = await onEnv(env, (db) => rehearse({ db, env, folder: open.folder }, { sample: 3 }));
      expect(report.clone).toMatchObject({ schemaSource: 'migrations', rowsCopied: 0, dropped: true });
      expect(report.clone!.note).toMatch(/^pg_dump could not be used \(pg_dump is not installed \(or not on PATH\)\); the schema was rebuilt by replaying the applied migrations/);
      expect(report.migrations[0]!.statements[0]).toMatchObject({ status: 'ok', observed: { rewritten: ['patients'] } });
    } finally {
      process.env.PATH = path;
    }
  });

  it('says plainly that the role needs CREATEDB', async () => {
    const { open, env } = await withPending('ALTER TABLE "patients" ADD COLUMN "x" INTEGER;');
    const role = `godwit_nocreatedb_${Math.random().toString(16).slice(2, 8)}`;
    await sqlOn(current().db.url, `CREATE ROLE ${role} LOGIN NOCREATEDB; GRANT ALL ON SCHEMA public TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    try {
      const u = new URL(current().db.url);
      u.username = role;
      const limited = { ...env, target: { kind: 'postgres' as const, url: u.toString() } };
      const err = await onEnv(limited, (db) => rehearse({ db, env: limited, folder: open.folder })).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'rehearse-no-createdb', hint: expect.stringContaining('needs CREATEDB') });
      expect((err as Error).message).toMatch(/^Cannot create a throwaway database on .* for the rehearsal: permission denied to create database/);
    } finally {
      await sqlOn(current().db.url, `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}; REVOKE ALL ON SCHEMA public FROM ${role}; DROP ROLE ${role}`);
    }
  });
});

describe('rehearse an embedded environment', () => {
  it('rebuilds it in memory from the applied migrations and observes the rewrite there', async () => {
    const { mkdtemp, rm: remove } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { selectEnvironments, openProject } = await import('../index.ts');
    const dataDir = await mkdtemp(join(tmpdir(), 'godwit-rehearse-'));
    const previous = process.env.GODWIT_DATA_DIR;
    process.env.GODWIT_DATA_DIR = dataDir;
    try {
      const { project } = current();
      let open = await openProject(project.dir);
      let [env] = selectEnvironments(open.project, { url: 'embedded:rehearse' });
      await onEnv(env!, (conn) => upgrade({ db: conn, env: env!, folder: open.folder }, { to: DEMO_HEAD }));
      await addMigration(project.dir, '20250501090000_pending', 'ALTER TABLE "patient_symptoms" ALTER COLUMN "severity" TYPE INTEGER;');
      open = await openProject(project.dir);
      [env] = selectEnvironments(open.project, { url: 'embedded:rehearse' });
      const report = await onEnv(env!, (db) => rehearse({ db, env: env!, folder: open.folder }, { sample: 5 }));
      expect(report.ok).toBe(true);
      expect(report.clone).toMatchObject({ database: 'memory://', schemaSource: 'migrations', rowsCopied: 0, dropped: true });
      expect(report.migrations[0]!.statements[0]).toMatchObject({
        observed: { locks: [{ relation: 'patient_symptoms', mode: 'AccessExclusiveLock' }], rewritten: ['patient_symptoms'] },
        matches: { locks: true, rewrite: true },
      });
      // The embedded environment itself still has the pending migration pending.
      const left = await onEnv(env!, (db) => db.query<{ t: string }>("SELECT data_type AS t FROM information_schema.columns WHERE table_name = 'patient_symptoms' AND column_name = 'severity'"));
      expect(left).toEqual([{ t: 'smallint' }]);
    } finally {
      process.env.GODWIT_DATA_DIR = previous;
      await remove(dataDir, { recursive: true, force: true });
    }
  });
});
