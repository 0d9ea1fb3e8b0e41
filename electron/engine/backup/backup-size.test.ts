import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { describeStepBackup, readAudit, listBackups, planFor, rollback, upgrade, type Environment, type OpenProject } from '../index.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn, type TestDatabase } from '../testing/test-database.ts';
import type { TempProject } from '../testing/temp-project.ts';
import { dropBackups, expireBackups } from './catalog.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });
let db: TestDatabase;
let project: TempProject;
beforeEach(() => {
  ({ db, project } = fresh());
});

const SEED = '20990101000000_seed';
const seedSql = `CREATE TABLE people (id bigint PRIMARY KEY, name text NOT NULL, phone text, score int NOT NULL);
INSERT INTO people SELECT g, 'person ' || g, '+33 6 ' || lpad(g::text, 8, '0'), g % 97 FROM generate_series(1, 20000) g;
CREATE TABLE archive (id int PRIMARY KEY, payload text);
INSERT INTO archive SELECT g, repeat('x', 50 + g % 200) FROM generate_series(1, 5000) g;
CREATE TABLE visits (id int PRIMARY KEY, person bigint NOT NULL, at timestamptz NOT NULL, kind int NOT NULL);
INSERT INTO visits SELECT g, g % 20000, timestamptz '2025-01-01' + g * interval '1 minute', g % 50 FROM generate_series(1, 30000) g;
ANALYZE people; ANALYZE archive; ANALYZE visits;`;
const DESTROY = '20990102000000_destroy';

async function setUp(up: string, down: string): Promise<{ open: OpenProject; env: Environment }> {
  await addMigration(project.dir, SEED, seedSql, 'DROP TABLE people; DROP TABLE archive; DROP TABLE visits;');
  await addMigration(project.dir, DESTROY, up, down);
  const ctx = await projectOn(project.dir, db.url);
  await onEnv(ctx.env, (c) => upgrade({ db: c, env: ctx.env, folder: ctx.open.folder }, { to: SEED }));
  return ctx;
}

describe('backup size and bookkeeping', () => {
  it('shows before the run what each backup copies, within 10% of what it then copied', async () => {
    const ctx = await setUp(
      'ALTER TABLE people DROP COLUMN phone;\nDELETE FROM visits WHERE kind < 20;\nDROP TABLE archive;',
      'CREATE TABLE archive (id int PRIMARY KEY, payload text);\nALTER TABLE people ADD COLUMN phone text;',
    );
    const plan = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'up' }));
    const copies = plan.steps[0]!.backup!.copies;
    expect(copies.map((c) => c.target.kind)).toEqual(['drop-column', 'delete', 'drop-table']);
    await onEnv(ctx.env, (c) => upgrade({ db: c, env: ctx.env, folder: ctx.open.folder }, {}));
    const made = await sqlOn<{ seq: number; rows: string; bytes: string }>(db.url, 'SELECT seq, rows::text, bytes::text FROM godwit.backups WHERE migration_name = $1 ORDER BY seq', [DESTROY]);
    expect(made).toHaveLength(3);
    for (const [k, c] of copies.entries()) {
      const actual = made[k]!;
      expect(Math.abs(c.bytes! - Number(actual.bytes)) / Number(actual.bytes), `${c.target.kind}: shown ${c.bytes}, copied ${actual.bytes}`).toBeLessThanOrEqual(0.1);
      expect(Math.abs(c.rows! - Number(actual.rows)) / Number(actual.rows), `${c.target.kind} rows`).toBeLessThanOrEqual(0.1);
    }
  });

  it('counts a small table whose statistics are stale (rows loaded since its last ANALYZE), within 10% again', async () => {
    const ctx = await setUp('DELETE FROM archive WHERE id > 100;\nDELETE FROM visits WHERE kind < 20;', 'SELECT 1;');
    // Nine times the rows ANALYZE saw, loaded after it (autovacuum off for them, so the statistics stay stale).
    await sqlOn(db.url, `ALTER TABLE archive SET (autovacuum_enabled = off); ALTER TABLE visits SET (autovacuum_enabled = off);
      INSERT INTO archive SELECT g, repeat('y', 80) FROM generate_series(5001, 45000) g;
      INSERT INTO visits SELECT g, g % 20000, timestamptz '2025-06-01' + g * interval '1 minute', g % 50 FROM generate_series(30001, 270000) g;`);
    const plan = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'up' }));
    const copies = plan.steps[0]!.backup!.copies;
    await onEnv(ctx.env, (c) => upgrade({ db: c, env: ctx.env, folder: ctx.open.folder }, {}));
    const made = await sqlOn<{ rows: string }>(db.url, 'SELECT rows::text FROM godwit.backups WHERE migration_name = $1 ORDER BY seq', [DESTROY]);
    expect(made.map((m) => Number(m.rows))).toEqual([44900, 108000]);
    for (const [k, c] of copies.entries()) {
      expect(Math.abs(c.rows! - Number(made[k]!.rows)) / Number(made[k]!.rows), `${c.target.table}: shown ${c.rows}, copied ${made[k]!.rows}`).toBeLessThanOrEqual(0.1);
    }
  });

  it('a dropped backup is not restored, and the rollback says so instead of restoring the rest in silence', async () => {
    const ctx = await setUp('ALTER TABLE people DROP COLUMN phone;\nDELETE FROM visits WHERE kind < 20;', 'ALTER TABLE people ADD COLUMN phone text;');
    await onEnv(ctx.env, (c) => upgrade({ db: c, env: ctx.env, folder: ctx.open.folder }, {}));
    const history = '"public"."_prisma_migrations"';
    const before = (await onEnv(ctx.env, (c) => listBackups(c, history))).filter((b) => b.migration === DESTROY);
    expect(before.map((b) => b.kind)).toEqual(['drop-column', 'delete']);
    const phone = before[0]!.id;
    expect(await onEnv(ctx.env, (c) => dropBackups(c, { ids: [phone] }))).toEqual([phone]);
    expect((await onEnv(ctx.env, (c) => listBackups(c, history))).map((b) => b.id)).not.toContain(phone);
    await expect(onEnv(ctx.env, (c) => dropBackups(c, { ids: [phone] }))).rejects.toMatchObject({ code: 'unknown-backup' });
    const plan = await onEnv(ctx.env, (c) => planFor(ctx.open, ctx.env, c, { direction: 'down', steps: 1 }));
    const lines = describeStepBackup(plan.steps[0]!);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^NOT RESTORED: backup ${phone} was dropped on \\d{4}-\\d\\d-\\d\\d with godwit backups drop \\(drop-column of public\\.people\\.phone\\): not restored on rollback\\.$`)));
    expect(lines.filter((l) => l.startsWith('RESTORE after down.sql'))).toHaveLength(1);
    await onEnv(ctx.env, (c) => rollback({ db: c, env: ctx.env, folder: ctx.open.folder }, { steps: 1 }));
    expect(await sqlOn(db.url, 'SELECT count(*)::int AS n FROM visits')).toEqual([{ n: 30000 }]);
  });

  it('refuses above backupLimit unless accepted; --no-backup skips it and the audit trail and catalog say so', async () => {
    const ctx = await setUp('ALTER TABLE people DROP COLUMN phone;', 'ALTER TABLE people ADD COLUMN phone text;');
    const env: Environment = { ...ctx.env, backup: { limitBytes: 10_000 } };
    const run = (backup: { noBackup?: boolean; allowLargeBackup?: boolean }) => onEnv(env, (c) => upgrade({ db: c, env, folder: ctx.open.folder }, { backup }));
    await expect(run({})).rejects.toMatchObject({ code: 'backup-over-limit', hint: expect.stringMatching(/--no-backup/) });
    await run({ noBackup: true });
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'phone'`)).toEqual([{ n: 0 }]);
    const listed = (await onEnv(env, (c) => listBackups(c, '"public"."_prisma_migrations"'))).filter((b) => b.migration === DESTROY);
    expect(listed).toMatchObject([{ kind: 'skipped', rows: 0, note: 'skipped with --no-backup' }]);
    const audit = await onEnv(env, (c) => readAudit(c, 5));
    expect(audit.find((a) => a.result === 'ok' && a.migrations.includes(DESTROY))?.note).toMatch(/backup skipped with --no-backup/);
    // Rolling it back has nothing to restore, and forgets the record.
    await onEnv(env, (c) => rollback({ db: c, env, folder: ctx.open.folder }, { steps: 1 }));
    expect(await sqlOn(db.url, 'SELECT count(*)::int AS n FROM godwit.backups WHERE migration_name = $1', [DESTROY])).toEqual([{ n: 0 }]);
  });

  it('lists, drops and expires backups; a dropped backup is not restored', async () => {
    const ctx = await setUp('ALTER TABLE people DROP COLUMN phone;', 'ALTER TABLE people ADD COLUMN phone text;');
    await onEnv(ctx.env, (c) => upgrade({ db: c, env: ctx.env, folder: ctx.open.folder }, {}));
    const [b] = (await onEnv(ctx.env, (c) => listBackups(c, '"public"."_prisma_migrations"'))).filter((x) => x.migration === DESTROY);
    expect(b).toMatchObject({ kind: 'drop-column', table: 'public.people', column: 'phone', rows: 20_000, attached: true });
    expect(b!.bytes).toBeGreaterThan(0);
    expect(b!.ageDays).toBeLessThan(1);
    // Retention: nothing is old enough yet; once it is, the run's start drops it.
    expect(await onEnv(ctx.env, (c) => expireBackups(c, 30))).toEqual([]);
    await sqlOn(db.url, `UPDATE godwit.backups SET created_at = created_at - interval '31 days' WHERE id = $1`, [b!.id]);
    expect(await onEnv(ctx.env, (c) => expireBackups(c, 30))).toEqual([b!.id]);
    expect(await sqlOn(db.url, `SELECT to_regclass('godwit.${b!.id}')::text AS t`)).toEqual([{ t: null }]);
    await expect(onEnv(ctx.env, (c) => dropBackups(c, { ids: ['bk_nope'] }))).rejects.toThrow(/No backup named bk_nope/);
    // Without its backup the rollback runs down.sql alone: the column comes back empty.
    await onEnv(ctx.env, (c) => rollback({ db: c, env: ctx.env, folder: ctx.open.folder }, { steps: 1 }));
    expect(await sqlOn(db.url, 'SELECT count(phone)::int AS n FROM people')).toEqual([{ n: 0 }]);
  });

  it('works on an embedded (PGlite) database: drop a column, roll back, every value is back', async () => {
    await addMigration(project.dir, SEED, seedSql, 'DROP TABLE people; DROP TABLE archive; DROP TABLE visits;');
    await addMigration(project.dir, DESTROY, 'ALTER TABLE people DROP COLUMN phone;', 'ALTER TABLE people ADD COLUMN phone text;');
    const { open } = await projectOn(project.dir, db.url);
    const env: Environment = { name: 'embedded-test', protected: false, display: 'embedded:test', target: { kind: 'embedded', name: 'test', dataDir: 'memory://' } };
    await onEnv(env, async (c) => {
      await upgrade({ db: c, env, folder: open.folder }, { to: SEED });
      const before = await c.query('SELECT id, phone FROM people ORDER BY id');
      await upgrade({ db: c, env, folder: open.folder }, {});
      await rollback({ db: c, env, folder: open.folder }, { steps: 1 });
      expect(await c.query('SELECT id, phone FROM people ORDER BY id')).toEqual(before);
      expect(await c.query('SELECT count(*)::int AS n FROM godwit.backups WHERE migration_name = $1', [DESTROY])).toEqual([{ n: 0 }]);
    });
  });
});
