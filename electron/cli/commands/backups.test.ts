import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlOn, type TestDatabase } from '../../engine/testing/test-database.ts';
import type { TempProject } from '../../engine/testing/temp-project.ts';
import { addMigration, useDatabaseAndProject } from '../../engine/testing/fixtures.ts';
import { runGodwit } from '../testing/run-cli.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });
let db: TestDatabase;
let project: TempProject;
beforeEach(() => {
  ({ db, project } = fresh());
});

const SEED = '20990101000000_seed';
const DROP = '20990102000000_drop_phone';

describe('godwit backups, up --no-backup, down --no-restore', () => {
  it('lists a backup with its size, restores it on down, and drops backups by id', async () => {
    await addMigration(project.dir, SEED, `CREATE TABLE people (id int PRIMARY KEY, phone text);
INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 3000) g;
CREATE TABLE logs (at int, msg text);
INSERT INTO logs SELECT g, 'm' || g FROM generate_series(1, 10) g;`, 'DROP TABLE people; DROP TABLE logs;');
    await addMigration(project.dir, DROP, 'ALTER TABLE people DROP COLUMN phone;\nALTER TABLE logs DROP COLUMN msg;', 'ALTER TABLE people ADD COLUMN phone text;\nALTER TABLE logs ADD COLUMN msg text;');
    await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url, backupRetentionDays: 7, backupBeforeRun: true } } }));
    const at = ['--project', project.dir];
    expect((await runGodwit([...at, 'up', '--yes', '--to', SEED])).code).toBe(0);
    const up = await runGodwit([...at, 'up', '--yes']);
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(/BACKUP \(statement 1\): copies the column people\.phone with its key/);
    expect(up.stderr).toMatch(/BACKUP \(statement 2\): copies the whole table logs \(DROP COLUMN msg\) .*\(the table has no primary key.*\) — NOT RESTORABLE on rollback/);
    expect(up.stderr).toMatch(/pg_dump of 2 table\(s\) written to /);

    const listed = await runGodwit([...at, 'backups', '--json']);
    expect(listed.code).toBe(0);
    const { backups } = JSON.parse(listed.stdout) as { backups: { id: string; migration: string; kind: string; rows: number; bytes: number; restorable: boolean }[] };
    const mine = backups.filter((b) => b.migration === DROP);
    expect(mine.map((b) => [b.kind, b.rows, b.restorable])).toEqual([['drop-column', 3000, true], ['drop-column', 10, false]]);
    const text = await runGodwit([...at, 'backups']);
    expect(text.stdout).toMatch(/drop-column public\.people\.phone\s+3,000\s+\S+ kB/);
    // Seconds old: "just now"; nothing detached, so the footer does not explain it.
    expect(text.stdout).toMatch(/kB\s+just now/);
    expect(text.stdout).not.toContain('detached');

    // Not restorable: said before anything runs, one line, exit 2; the database is unchanged.
    const refused = await runGodwit([...at, 'down', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Rolling back would not restore the backed-up data: .*logs\.msg/);
    expect(await sqlOn(db.url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = $1', [DROP])).toEqual([{ n: 1 }]);

    // An id that names no backup is refused before any question, without a terminal or --yes.
    const nosuch = await runGodwit([...at, 'backups', 'drop', 'bk_nosuch']);
    expect([nosuch.code, nosuch.stderr.trim()]).toEqual([2, 'Error: No backup named bk_nosuch in dev (see godwit backups).']);
    // Dropping the unrestorable copy by id (after saving it by hand) lets the rollback restore the rest.
    const drop = await runGodwit([...at, 'backups', 'drop', mine[1]!.id, '--yes']);
    expect(drop.stdout).toMatch(`Dropped 1 backup(s) in dev: ${mine[1]!.id}.`);
    const down = await runGodwit([...at, 'down', '--yes']);
    expect(down.code).toBe(0);
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n FROM people WHERE phone = 'p' || id`)).toEqual([{ n: 3000 }]);
    expect(JSON.parse((await runGodwit([...at, 'backups', '--json'])).stdout).backups.filter((b: { migration: string }) => b.migration === DROP)).toEqual([]);

    // --no-backup: nothing copied, the audit trail says so.
    const skipped = await runGodwit([...at, 'up', '--yes', '--no-backup']);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch('BACKUP: skipped with --no-backup.');
    const log = await runGodwit([...at, 'log', '--json']);
    expect((JSON.parse(log.stdout) as { note?: string }[])[0]!.note).toMatch(`${DROP}: backup skipped with --no-backup`);
    // --no-restore: rolled back, the column comes back empty.
    expect((await runGodwit([...at, 'down', '--yes', '--no-restore'])).code).toBe(0);
    expect(await sqlOn(db.url, 'SELECT count(phone)::int AS n FROM people')).toEqual([{ n: 0 }]);
  });
});
