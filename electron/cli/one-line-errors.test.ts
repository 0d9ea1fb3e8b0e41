import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../engine/testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { runGodwit, type CliResult } from './testing/run-cli.ts';

// What a hostile tester found answered badly: each is now one sentence on stderr and exit 2 (or the right output).
let db: TestDatabase;
let project: TempProject;
let busy: Server;
beforeAll(async () => {
  [db, project] = await Promise.all([createTestDatabase(), copyDemoProject()]);
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  busy.close();
  await Promise.all([db.drop(), project.remove()]);
});

const oneLine = (r: CliResult, text: string | RegExp) => {
  expect([r.code, r.stderr.trim().split('\n').length], r.stderr).toEqual([2, 1]);
  expect(r.stderr).toMatch(text);
};

it('answers malformed requests in one sentence', async () => {
  const at = ['--project', project.dir];
  oneLine(await runGodwit([...at, '--url', 'env:__proto__', 'status']), 'uses env:__proto__, but __proto__ is not set');
  oneLine(await runGodwit([...at, '--url', db.url, 'resolve', '--rolled-back', 'no_such_migration', '--yes']), "No migration named no_such_migration in the migrations folder or in url's history.");
  oneLine(await runGodwit([...at, '--url', db.url, 'down-sql', '20250301090000_create_users', '--force']), '--force only applies with --write');
  const port = (busy.address() as { port: number }).port;
  oneLine(await runGodwit([...at, 'serve', '--port', String(port)]), `Port ${port} on 127.0.0.1 is in use`);
});

it('names an environment once however often it is given', async () => {
  const r = await runGodwit(['--project', project.dir, 'status', '--env', 'dev', '--env', 'dev', '--json']);
  expect((JSON.parse(r.stdout) as unknown[]).length).toBe(1);
});

it('says a database with tables but no applied migration needs a baseline, not up', async () => {
  const { sqlOn } = await import('../engine/testing/test-database.ts');
  const { createTestDatabase: fresh } = await import('../engine/testing/test-database.ts');
  const built = await fresh();
  try {
    await sqlOn(built.url, 'CREATE TABLE "users" ("id" int PRIMARY KEY)');
    const r = await runGodwit(['--project', project.dir, '--url', built.url, 'status']);
    expect(r.stderr).toContain("Note: url has 1 table(s) but no applied migration. If these migrations built its schema (by hand, or prisma db push), baseline it: godwit resolve --applied NAME --url … for each migration it already has;");
    // An empty database is no such case.
    expect((await runGodwit(['--project', project.dir, '--url', db.url, 'status'])).stderr).not.toContain('baseline');
  } finally {
    await built.drop();
  }
});

it('status says when a migration run holds the lock (states may change when it ends), and not otherwise', async () => {
  const pg = (await import('pg')).default;
  const holder = new pg.Client({ connectionString: db.url, application_name: 'prisma-migrate' });
  await holder.connect();
  try {
    await holder.query('SELECT pg_advisory_lock(72707369)');
    const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const held = await runGodwit(['--project', project.dir, '--url', db.url, 'status']);
    expect(held.stdout).toContain(`a migration run holds the lock: pid ${pid} (prisma-migrate)`);
    const json = JSON.parse((await runGodwit(['--project', project.dir, '--url', db.url, 'status', '--json'])).stdout) as { runInProgress?: { pid: number } }[];
    expect(json[0]!.runInProgress?.pid).toBe(pid);
    await holder.query('SELECT pg_advisory_unlock(72707369)');
    expect((await runGodwit(['--project', project.dir, '--url', db.url, 'status'])).stdout).not.toContain('holds the lock');
  } finally {
    await holder.end();
  }
});
