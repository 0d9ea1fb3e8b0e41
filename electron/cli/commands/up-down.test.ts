import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DEMO_PROJECT_DIR } from '../../engine/demo/open-demo.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../../engine/testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../../engine/testing/temp-project.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD } from '../../engine/testing/fixtures.ts';
import { runGodwit, type CliResult } from '../testing/run-cli.ts';
import { confirmChange } from '../confirm.ts';
import type { Environment } from '../../engine/index.ts';

let db: TestDatabase;
let project: TempProject;
beforeEach(async () => {
  db = await createTestDatabase();
  project = await copyDemoProject();
});
afterEach(async () => {
  await db.drop();
  await project.remove();
});

const oneLineError = (r: CliResult, text: string | RegExp) => {
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(text);
};

describe('godwit up/down options', () => {
  it('takes digits only for --steps, --lock-attempts and the timeouts, and refuses more steps than are applied', async () => {
    const at = ['--project', project.dir, '--url', db.url];
    for (const bad of ['0x2', '1e3', ' 1', '+1', '0', '-1', '1.5', '']) {
      oneLineError(await runGodwit([...at, 'down', '--steps', bad, '--yes']), `--steps takes a positive whole number, not "${bad}"`);
    }
    oneLineError(await runGodwit([...at, 'up', '--lock-attempts', '0x2', '--yes']), '--lock-attempts takes a whole number of at least 1 (digits only), not "0x2"');
    oneLineError(await runGodwit([...at, 'up', '--lock-attempts', '0', '--yes']), 'not "0"');
    oneLineError(await runGodwit([...at, 'up', '--ddl-lock-timeout', '1e3', '--yes']), '--ddl-lock-timeout takes seconds (digits, e.g. 5 or 0.5) or a duration like 500ms, 5s, 2min; not "1e3"');
    oneLineError(await runGodwit([...at, 'up', '--statement-timeout', '+5', '--yes']), '--statement-timeout takes seconds');
    oneLineError(await runGodwit([...at, 'up', '--lock-timeout', '0x10', '--yes']), '--lock-timeout takes seconds, not "0x10"');
    expect(await sqlOn(db.url, "SELECT to_regclass('_prisma_migrations')::text AS t")).toEqual([{ t: null }]);

    expect((await runGodwit([...at, 'up', '--yes', '--ddl-lock-timeout', '2s', '--lock-attempts', '2'])).code).toBe(0);
    oneLineError(await runGodwit([...at, 'down', '--steps', '999', '--yes']), `Cannot roll back 999 migration(s) in url: only ${DEMO_COUNT} are applied.`);
    oneLineError(await runGodwit([...at, 'sql', '--down', '--steps', '9']), `only ${DEMO_COUNT} are applied`);
    expect(await sqlOn(db.url, 'SELECT count(*)::int AS n FROM _prisma_migrations')).toEqual([{ n: DEMO_COUNT }]);
  });

  it('says a failed down.sql was undone and the migration is still applied, not that it was rolled back', async () => {
    const at = ['--project', project.dir, '--url', db.url];
    await addMigration(project.dir, '20990101000000_notes', 'CREATE TABLE "notes" ("id" INT PRIMARY KEY);\n', 'DROP TABLE "notes";\nDROP TABLE "no_such_table";\n');
    await addMigration(project.dir, '20990102000000_tags', 'CREATE TABLE "tags" ("id" INT PRIMARY KEY);\n', 'DROP TABLE "tags";\n');
    expect((await runGodwit([...at, 'up', '--yes'])).code).toBe(0);
    const down = await runGodwit([...at, 'down', '--steps', '2', '--yes']);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('Its down.sql was undone: the migration is still applied, as it was before its rollback began.');
    // The run's first rollback stands, and the last line says so (inbox-zero: it read as if nothing had happened).
    expect(down.stderr).toContain('1 migration(s) rolled back before it stay rolled back: url is now at 20990101000000_notes.');
    expect(down.stderr).not.toMatch(/The migration was rolled back|as it was before this migration/);
    const status = await runGodwit([...at, 'status', '--json']);
    expect(status.stdout).toContain('"head": "20990101000000_notes"');
    expect(await sqlOn(db.url, `SELECT to_regclass('public.notes') IS NOT NULL AS present`)).toEqual([{ present: true }]);
  });

  it('documents the lock and timeout options in --help', async () => {
    const help = await runGodwit(['up', '--help']);
    for (const flag of ['--ddl-lock-timeout', '--lock-attempts', '--statement-timeout', '--lock-timeout', 'exits 130']) expect(help.stdout).toContain(flag);
  });
});

describe('godwit up killed outright (SIGKILL)', () => {
  it('leaves its audit row, "started", with the migrations it set out to run; a finished run leaves one row with its outcome', async () => {
    await addMigration(project.dir, '20990101000000_slow', 'SELECT pg_sleep(30);\n');
    const child = spawn(process.execPath, [join(DEMO_PROJECT_DIR, 'bin', 'godwit.cjs'), '--project', project.dir, '--url', db.url, 'up', '--yes'], {
      cwd: DEMO_PROJECT_DIR, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'ignore'],
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(await sqlOn(db.url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'")).length) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    await sqlOn(db.url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'");
    const rows = await sqlOn<{ result: string; migrations: string[]; note: string }>(db.url, 'SELECT result, migrations, note FROM godwit.audit_log');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ result: 'started', note: expect.stringMatching(/^no outcome recorded/) });
    expect(rows[0]!.migrations.at(-1)).toBe('20990101000000_slow');
    const log = await runGodwit(['--project', project.dir, '--url', db.url, 'log']);
    expect(log.stdout).toMatch(/started/);

    await rm(join(project.dir, 'migrations', '20990101000000_slow'), { recursive: true });
    await addMigration(project.dir, '20990102000000_quick', 'SELECT 1;\n');
    await sqlOn(db.url, 'TRUNCATE godwit.audit_log');
    expect((await runGodwit(['--project', project.dir, '--url', db.url, 'up', '--yes'])).code).toBe(0);
    expect(await sqlOn(db.url, 'SELECT result FROM godwit.audit_log')).toEqual([{ result: 'ok' }]);
  });
});

describe('Ctrl+C during godwit up', () => {
  it('cancels the running statement, rolls that migration back, writes the audit row, says so, and exits 130', async () => {
    await addMigration(project.dir, '20990101000000_slow', 'CREATE TABLE "slow_one" (id int);\nSELECT pg_sleep(30);\n');
    const child = spawn(process.execPath, [join(DEMO_PROJECT_DIR, 'bin', 'godwit.cjs'), '--project', project.dir, '--url', db.url, 'up', '--yes'], {
      cwd: DEMO_PROJECT_DIR,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until the server runs the sleep (the migration's transaction is open), then interrupt.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const running = await sqlOn(db.url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND application_name = 'godwit'");
      if (running.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await exited;

    expect(code).toBe(130);
    // "cancelled and rolled back" comes only from the server's 57014: the sleep was cancelled, not waited for.
    expect(stderr).toContain(`Interrupted: 20990101000000_slow was cancelled and rolled back, so it is still pending; ${DEMO_COUNT} migrations applied before it; url is at ${DEMO_HEAD}.`);
    expect(stderr).toContain(`url is at ${DEMO_HEAD}.`);
    expect(stderr).not.toMatch(/^Error:/m);
    expect(await sqlOn(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '20990101000000_slow'")).toEqual([]);
    expect(await sqlOn(db.url, "SELECT to_regclass('slow_one')::text AS t")).toEqual([{ t: null }]);
    expect(await sqlOn(db.url, 'SELECT count(*)::int AS n FROM _prisma_migrations')).toEqual([{ n: DEMO_COUNT }]);
    const audit = await sqlOn<{ action: string; result: string; migrations: string[]; error: string }>(db.url, 'SELECT action, result, migrations, error FROM godwit.audit_log');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'up', result: 'failed' });
    expect(audit[0]!.migrations.at(-1)).toBe('20990101000000_slow');
    expect(audit[0]!.error).toContain('Interrupted: 20990101000000_slow was cancelled and rolled back');
  });
});

describe('confirmation', () => {
  const env: Environment = { name: 'staging', protected: false, display: 'postgresql://h/db', target: { kind: 'postgres', url: 'postgresql://h/db' } };
  const io = (answer: string) => {
    const input = new PassThrough();
    input.end(`${answer}\n`);
    return { input, output: new PassThrough(), isTTY: true };
  };

  it('asks for the environment\'s name when a run includes an unanalysed migration, and y/N otherwise', async () => {
    await expect(confirmChange(env, {}, 'apply 1 migration(s) to staging', true, io('staging'))).resolves.toBe('staging');
    await expect(confirmChange(env, {}, 'apply 1 migration(s) to staging', true, io('y'))).rejects.toThrow('Cancelled: "y" is not staging; nothing was changed.');
    await expect(confirmChange(env, { yes: true }, 'apply 1 migration(s) to staging', true, io(''))).rejects.toThrow('needs --yes --confirm staging');
    await expect(confirmChange(env, { yes: true, confirm: 'staging' }, 'apply', true, io(''))).resolves.toBe('staging');
    await expect(confirmChange(env, {}, 'apply 1 migration(s) to staging', false, io('y'))).resolves.toBeUndefined();
    await expect(confirmChange({ ...env, protected: true }, {}, 'apply 1 migration(s) to staging', false, io('staging'))).resolves.toBe('staging');
    await expect(confirmChange(env, {}, 'apply', true, { ...io('staging'), isTTY: false })).rejects.toThrow('needs --yes --confirm staging');
  });
});
