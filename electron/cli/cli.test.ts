import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, unlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { schemaDump } from '../engine/testing/pg-dump.ts';
import { copyDemoProject } from '../engine/testing/temp-project.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD } from '../engine/testing/fixtures.ts';
import { runGodwit } from './testing/run-cli.ts';

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(() => db.drop());

describe('godwit CLI on a real database', () => {
  it('status → up → sql --down → down: the acceptance path', async () => {
    const status = await runGodwit(['--project', '.', '--url', db.url, 'status', '--json']);
    expect(status.code).toBe(1);
    const parsed = JSON.parse(status.stdout) as { environment: string; head: null; migrations: { name: string; state: string; checksumOk: null }[]; drift: null }[];
    expect(parsed).toHaveLength(1);
    expect(parsed[0]!.head).toBeNull();
    expect(parsed[0]!.migrations.map((m) => m.state)).toEqual(Array(DEMO_COUNT).fill('pending'));

    const up = await runGodwit(['--project', '.', '--url', db.url, 'up', '--yes']);
    expect(up.code).toBe(0);
    expect(up.stderr).toContain(`[${DEMO_COUNT}/${DEMO_COUNT}] ↑ ${DEMO_HEAD} ok`);
    expect((await runGodwit(['--url', db.url, 'status'])).code).toBe(0);

    const sql = await runGodwit(['--project', '.', '--url', db.url, 'sql', '--down', '--steps', '1']);
    expect(sql.code).toBe(0);
    expect(sql.stdout).toContain(`-- Rollback: ${DEMO_HEAD} (down.sql)`);
    expect(sql.stdout).toContain('ALTER TABLE "booking_requests" RENAME COLUMN "subject" TO "topic";');

    const down = await runGodwit(['--project', '.', '--url', db.url, 'down', '--steps', '1', '--yes']);
    expect(down.code).toBe(0);
    const after = JSON.parse((await runGodwit(['--url', db.url, 'status', '--json'])).stdout) as typeof parsed;
    expect(after[0]!.migrations.at(-1)).toMatchObject({ name: DEMO_HEAD, state: 'pending' });
    expect(after[0]!.head).toBe('20250412090000_create_booking_requests');

    const log = JSON.parse((await runGodwit(['--url', db.url, 'log', '--json'])).stdout) as { action: string; result: string }[];
    expect(log.map((e) => `${e.action}:${e.result}`)).toEqual(['down:ok', 'up:ok']);
  });

  it('a migration whose second statement fails leaves no trace in the schema or the history (exit 2)', async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_broken', 'CREATE TABLE "half" (id int);\nSELECT * FROM "does_not_exist";\n');
      expect((await runGodwit(['--project', project.dir, '--url', db.url, 'up', '--to', DEMO_HEAD, '--yes'])).code).toBe(0);
      const before = await schemaDump(db.url);
      const res = await runGodwit(['--project', project.dir, '--url', db.url, 'up', '--yes']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('migration.sql statement 2, line 2:');
      expect(res.stderr).toContain('relation "does_not_exist" does not exist');
      expect(res.stderr).toContain('It was rolled back: the database is as it was before this migration.');
      expect(await schemaDump(db.url)).toBe(before);
      expect(await sqlOn(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '20990101000000_broken'")).toEqual([]);
    } finally {
      await project.remove();
    }
  });

  it('two concurrent godwit up processes apply each migration exactly once', async () => {
    const [a, b] = await Promise.all([
      runGodwit(['--url', db.url, 'up', '--yes']),
      runGodwit(['--url', db.url, 'up', '--yes']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const rows = await sqlOn<{ migration_name: string; n: number }>(db.url, 'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1');
    expect(rows).toHaveLength(DEMO_COUNT);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(`${a.stdout}${b.stdout}`).toMatch(/Nothing to apply/);
  });

  it('status shows every environment it can read and reports the one it cannot (exit 2)', async () => {
    const project = await copyDemoProject();
    try {
      await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url }, gone: { url: 'postgresql://app:hunter2@127.0.0.1:1/x' } } }));
      const r = await runGodwit(['--project', project.dir, 'status', '--json']);
      expect(r.code).toBe(2);
      const out = JSON.parse(r.stdout) as { environment: string; error?: string; migrations?: unknown[] }[];
      expect(out.map((e) => [e.environment, e.error ?? null, e.migrations?.length ?? null])).toEqual([
        ['dev', null, DEMO_COUNT],
        ['gone', 'Cannot reach PostgreSQL at 127.0.0.1:1: connection refused.', null],
      ]);
      expect(r.stdout + r.stderr).not.toContain('hunter2');
    } finally {
      await project.remove();
    }
  });

  it('guards changes: protected environments need --yes --confirm NAME; without a terminal, --yes', async () => {
    const project = await copyDemoProject();
    try {
      await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: { url: db.url, protected: true } } }));
      const refused = await runGodwit(['--project', project.dir, 'up', '--env', 'prod', '--yes']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('prod is protected');
      const wrong = await runGodwit(['--project', project.dir, 'up', '--env', 'prod', '--yes', '--confirm', 'dev']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('prod is protected: --confirm dev is not its name: to upgrade it, pass --yes --confirm prod.');
      expect(await sqlOn(db.url, "SELECT to_regclass('_prisma_migrations')::text AS t")).toEqual([{ t: null }]);
      // Both refusals are in the audit trail, with who and why.
      const log = JSON.parse((await runGodwit(['--project', project.dir, 'log', '--env', 'prod', '--json'])).stdout) as { action: string; result: string; error: string | null }[];
      expect(log.map((e) => [e.action, e.result, e.error])).toEqual([
        ['up', 'failed', 'refused: prod is protected: --confirm dev is not its name: to upgrade it, pass --yes --confirm prod.'],
        ['up', 'failed', 'refused: prod is protected: to upgrade it, pass --yes --confirm prod.'],
      ]);
      const ok = await runGodwit(['--project', project.dir, 'up', '--env', 'prod', '--yes', '--confirm', 'prod']);
      expect(ok.code).toBe(0);
      const noTty = await runGodwit(['--url', db.url, 'down']);
      expect(noTty.code).toBe(2);
      expect(noTty.stderr).toContain('without a terminal');
    } finally {
      await project.remove();
    }
  });

  it("status --drift says which drift comes from a migration the folder lacks before offering SQL that would drop what it made", async () => {
    const project = await copyDemoProject();
    try {
      await addMigration(project.dir, '20990101000000_audit', 'CREATE TABLE "audit_notes" ("id" INTEGER PRIMARY KEY);\n');
      expect((await runGodwit(['--project', project.dir, '--url', db.url, 'up', '--yes'])).code).toBe(0);
      await rm(join(project.dir, 'migrations', '20990101000000_audit'), { recursive: true });
      const res = await runGodwit(['--project', project.dir, '--url', db.url, 'status', '--drift']);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/missing-locally\s+20990101000000_audit/);
      expect(res.stdout).toContain('Not all of this is drift: 1 migration this database ran is missing from the folder, so what it made shows as drift. Restore those files before running any of this SQL.');
      expect(res.stdout.indexOf('Not all of this is drift')).toBeLessThan(res.stdout.indexOf('DROP TABLE'));
    } finally {
      await project.remove();
    }
  });

  it('down refuses when a down.sql is missing and points to down-sql', async () => {
    const project = await copyDemoProject();
    try {
      await unlink(join(project.dir, 'migrations', DEMO_HEAD, 'down.sql'));
      expect((await runGodwit(['--project', project.dir, '--url', db.url, 'up', '--yes'])).code).toBe(0);
      const res = await runGodwit(['--project', project.dir, '--url', db.url, 'down', '--yes']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`godwit down-sql ${DEMO_HEAD}`);
      const gen = await runGodwit(['--project', project.dir, '--url', db.url, 'down-sql', DEMO_HEAD, '--write']);
      expect(gen.code).toBe(0);
      expect((await runGodwit(['--project', project.dir, '--url', db.url, 'down', '--yes'])).code).toBe(0);
    } finally {
      await project.remove();
    }
  });
});

describe('godwit tables, describe and compare', () => {
  it('list, describe and compare environments from the command line', async () => {
    expect((await runGodwit(['--url', db.url, 'up', '--yes'])).code).toBe(0);
    const tables = await runGodwit(['--url', db.url, 'tables']);
    expect(tables.code).toBe(0);
    expect(tables.stdout).toMatch(/^ public \| patients +\| table \| postgres$/m);
    expect(tables.stdout).toContain('(6 rows)');
    const described = await runGodwit(['--url', db.url, 'describe', 'sessions']);
    expect(described.stdout).toContain('    "sessions_user_id_fkey" FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE');
    const json = JSON.parse((await runGodwit(['--url', db.url, 'describe', 'patients', '--json'])).stdout) as { columns: { name: string }[] }[];
    expect(json[0]!.columns.map((c) => c.name)).toContain('phone_number');
    const missing = await runGodwit(['--url', db.url, 'describe', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Did not find any relation named "nope".');

    const other = await createTestDatabase();
    const project = await copyDemoProject();
    try {
      await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { a: { url: db.url }, b: { url: other.url } } }));
      expect((await runGodwit(['--project', project.dir, 'up', '--env', 'b', '--to', '20250412090000_create_booking_requests', '--yes'])).code).toBe(0);
      const cmp = await runGodwit(['--project', project.dir, 'compare', '--env', 'a', '--env', 'b', '--json']);
      expect(cmp.code).toBe(1);
      const diff = JSON.parse(cmp.stdout) as { differences: { relation: string; name: string; a: string | null; b: string | null }[] };
      expect(diff.differences.map((d) => [d.relation, d.name, d.a, d.b])).toEqual([
        ['public.booking_requests', 'subject', 'text not null', null],
        ['public.booking_requests', 'topic', null, 'text not null'],
      ]);
    } finally {
      await other.drop();
      await project.remove();
    }
  });
});

describe('godwit describe and tables print what psql prints, byte for byte', () => {
  const psql = (command: string) =>
    new Promise<string>((resolve, reject) =>
      execFile('psql', ['-X', db.url, '-c', command], { env: { ...process.env, PGCLIENTENCODING: 'UTF8' } }, (err, stdout) => (err ? reject(err) : resolve(stdout))));

  it('describe NAME, describe --plus, a pattern matching several relations, tables and tables --plus', async () => {
    expect((await runGodwit(['--url', db.url, 'up', '--yes'])).code).toBe(0);
    await sqlOn(db.url, 'CREATE TABLE audit_events (at timestamptz NOT NULL, what text) PARTITION BY RANGE (at)');
    const cases: [string[], string][] = [
      [['describe', 'sessions'], '\\d sessions'],
      [['describe', 'sessions', '--plus'], '\\d+ sessions'],
      [['describe', 'audit_events'], '\\d audit_events'],
      [['describe', 'audit_events', '--plus'], '\\d+ audit_events'],
      [['describe', 'session*'], '\\d session*'],
      [['tables'], '\\dt'],
      [['tables', '--plus', '--indexes'], '\\di+'],
    ];
    for (const [args, command] of cases) {
      const r = await runGodwit(['--url', db.url, ...args]);
      expect([command, r.code, r.stdout]).toEqual([command, 0, await psql(command)]);
    }
  });
});

describe('godwit CLI errors: one line, exit 2, no stack, no password', () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'godwit-cli-'));
  });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  const expectOneLine = (r: { code: number | null; stderr: string }, pattern: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('hunter2');
  };

  it('names each bad input plainly', async () => {
    expectOneLine(await runGodwit(['status', '--env', 'staging']), /Unknown environment "staging"\. Known: dev, test, prod\./);
    expectOneLine(await runGodwit(['status', '--url', 'env:GODWIT_UNSET_VAR']), /cannot parse the database URL|not set/i);
    expectOneLine(await runGodwit(['status', '--url', 'mysql://bob:hunter2@db/x']), /cannot parse the database URL mysql:\/\/bob:\*\*\*\*@db\/x\. Expected postgresql:\/\/user@host:port\/database/i);
    expectOneLine(await runGodwit(['status', '--url', 'postgresql://bob:hunter2@127.0.0.1:1/x']), /Cannot reach PostgreSQL at 127\.0\.0\.1:1: connection refused/);
    expectOneLine(await runGodwit(['status', '--url', 'postgresql://postgres:hunter2@127.0.0.1/godwit_no_such_db']), /Database "godwit_no_such_db" does not exist/);
    expectOneLine(await runGodwit(['status', '--project', scratch]), /is not a Prisma project/);
    expectOneLine(await runGodwit(['status', '--bogus']), /unknown option '--bogus'/);
    expectOneLine(await runGodwit(['sql', '--down', '--steps', '0', '--url', db.url]), /--steps takes a positive whole number, not "0"/);
    expectOneLine(await runGodwit(['sql', '--down', '--steps', '1', '--base', '--url', db.url]), /Choose one of --steps, --to and --base/);
    expectOneLine(await runGodwit(['up', '--lock-timeout', 'soon', '--yes', '--url', db.url]), /--lock-timeout takes seconds, not "soon"/);
  });

  it('refuses an empty or blank --url, --env or --project (an unset variable in a script) instead of acting on dev', async () => {
    const project = await copyDemoProject();
    try {
      await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url } } }));
      expect((await runGodwit(['up', '--yes'], { cwd: project.dir })).code).toBe(0);
      const history = () => sqlOn(db.url, 'SELECT migration_name, rolled_back_at FROM _prisma_migrations ORDER BY 1');
      const before = await history();
      const cases: [string[], string][] = [
        [['down', '--yes', '--url', ''], '--url'],
        [['--url', '', 'down', '--yes'], '--url'],
        [['down', '--yes', '--url', '   '], '--url'],
        [['down', '--yes', '--env', ''], '--env'],
        [['down', '--yes', '--project', ''], '--project'],
        [['-p', ' ', 'down', '--yes'], '--project'],
        [['sql', '--down', '--url', ''], '--url'],
        [['status', '--url', ''], '--url'],
      ];
      for (const [args, flag] of cases) {
        const r = await runGodwit(args, { cwd: project.dir });
        expectOneLine(r, new RegExp(`^Error: ${flag} is empty: give a value \\(an unset variable in a script\\?\\)\\.\\n$`));
        expect(r.stdout).toBe('');
      }
      // env:VAR set to the empty string is as empty as no value.
      const emptyVar = await runGodwit(['down', '--yes', '--url', 'env:GODWIT_EMPTY_URL'], { cwd: project.dir, env: { GODWIT_EMPTY_URL: '' } });
      expectOneLine(emptyVar, /^Error: Environment "url" uses env:GODWIT_EMPTY_URL, but GODWIT_EMPTY_URL is not set\./);
      expect(await history()).toEqual(before);
    } finally {
      await project.remove();
    }
  });

  it('gives up within 10 seconds on a host that accepts the connection but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const r = await runGodwit(['status', '--url', `postgresql://bob:hunter2@127.0.0.1:${port}/x`]);
      expectOneLine(r, new RegExp(`Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: no answer within 10 s`));
      expect(r.ms).toBeLessThan(14_000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('says plainly when the connection is cut before the server answers', async () => {
    const cutting = createServer((s) => s.destroy());
    await new Promise<void>((r) => cutting.listen(0, '127.0.0.1', r));
    const port = (cutting.address() as AddressInfo).port;
    try {
      expectOneLine(await runGodwit(['status', '--url', `postgresql://bob:hunter2@127.0.0.1:${port}/x`]), /Cannot reach PostgreSQL at 127\.0\.0\.1:\d+: the connection was closed/);
    } finally {
      cutting.close();
    }
  });

  it('refuses broken migrations folders and configuration', async () => {
    const project = await copyDemoProject();
    try {
      await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: 'env:GODWIT_TEST_UNSET' } } }));
      expectOneLine(await runGodwit(['--project', project.dir, 'status']), /uses env:GODWIT_TEST_UNSET, but GODWIT_TEST_UNSET is not set/);
      await writeFile(join(project.dir, 'godwit.json'), '{ "environments": { "dev": { "uri": "x" } } }');
      expectOneLine(await runGodwit(['--project', project.dir, 'status']), /godwit\.json: environments\.dev/);
      await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: db.url } } }));
      await writeFile(join(project.dir, 'migrations', 'notes.txt'), 'oops');
      expectOneLine(await runGodwit(['--project', project.dir, 'status']), /stray file migrations\/notes\.txt/);
      await unlink(join(project.dir, 'migrations', 'notes.txt'));
      await mkdir(join(project.dir, 'migrations', '20990101000000_empty'));
      expectOneLine(await runGodwit(['--project', project.dir, 'status']), /20990101000000_empty has no migration\.sql/);
      await rm(join(project.dir, 'migrations', '20990101000000_empty'), { recursive: true });
      await writeFile(join(project.dir, 'migrations', 'migration_lock.toml'), 'provider = "sqlite"\n');
      expectOneLine(await runGodwit(['--project', project.dir, 'status']), /is for provider "sqlite"/);
      // No folder at all is an empty history, not an error; but a mistyped migrations.path looks the same, so it says so.
      await rm(join(project.dir, 'migrations'), { recursive: true });
      const missing = await runGodwit(['status'], { cwd: project.dir });
      expect(missing.code).toBe(0);
      expect(missing.stdout).toContain('no migrations in the folder or the database');
      expect(missing.stderr.trim()).toBe('Note: the migrations folder migrations does not exist (migrations.path in prisma.config.ts): no local migrations.');
    } finally {
      await project.remove();
    }
  });
});
