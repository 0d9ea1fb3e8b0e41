import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { rollback, upgrade } from '../index.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../testing/temp-project.ts';
import { addMigration, onEnv, projectOn } from '../testing/fixtures.ts';
import { ConnectionLostError } from './lost-connection.ts';

/** A TCP proxy to the test server whose connections can be cut, as a dropped tunnel or network cuts them. */
async function startProxy(): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(5432, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let db: TestDatabase;
let project: TempProject;
let proxy: Awaited<ReturnType<typeof startProxy>>;
beforeEach(async () => {
  db = await createTestDatabase();
  project = await copyDemoProject();
  proxy = await startProxy();
});
afterEach(async () => {
  proxy.cut();
  await proxy.close();
  await db.drop();
  await project.remove();
});

const viaProxy = () => db.url.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`);

async function cutWhileSleeping(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await sqlOn(db.url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND application_name = 'godwit'")).length) {
      proxy.cut();
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the migration never started sleeping');
}

describe('the connection drops while a migration runs', () => {
  it('the server finishes and commits it: the run says it is applied, reads it back, and audits on a new connection', async () => {
    const { open: before, env: direct } = await projectOn(project.dir, db.url);
    await onEnv(direct, (conn) => upgrade({ db: conn, env: direct, folder: before.folder }, {}));
    await addMigration(project.dir, '20990101000000_slow', 'SELECT pg_sleep(1.5);\nCREATE TABLE "late" (id int);\n');
    const { open, env } = await projectOn(project.dir, viaProxy());
    const run = onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {})).catch((e: unknown) => e);
    await cutWhileSleeping();
    const err = await run;
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as Error).message).toBe('Lost the connection to url while applying 20990101000000_slow; the server finished it after the connection dropped: it is applied.');
    expect(await sqlOn(db.url, `SELECT to_regclass('"late"')::text AS t`)).toEqual([{ t: 'late' }]);
    expect(await sqlOn(db.url, "SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name = '20990101000000_slow' AND finished_at IS NOT NULL")).toEqual([{ n: 1 }]);
    const audit = await sqlOn<{ action: string; result: string; error: string }>(db.url, 'SELECT action, result, error FROM godwit.audit_log ORDER BY id DESC LIMIT 1');
    expect(audit).toEqual([{ action: 'up', result: 'failed', error: (err as Error).message }]);
  });

  it('the server fails it after the drop: the run says it is still pending', async () => {
    const { open: before, env: direct } = await projectOn(project.dir, db.url);
    await onEnv(direct, (conn) => upgrade({ db: conn, env: direct, folder: before.folder }, {}));
    await addMigration(project.dir, '20990101000000_doomed', 'SELECT pg_sleep(1.5);\nCREATE TABLE "never" (id int);\nSELECT 1/0;\n');
    const { open, env } = await projectOn(project.dir, viaProxy());
    const run = onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {})).catch((e: unknown) => e);
    await cutWhileSleeping();
    const err = await run;
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as Error).message).toBe('Lost the connection to url while applying 20990101000000_doomed; the server rolled it back: it is still pending.');
    expect(await sqlOn(db.url, `SELECT to_regclass('"never"')::text AS t`)).toEqual([{ t: null }]);
  });

  it('a rollback cut mid-way is reported as the history has it', async () => {
    await addMigration(project.dir, '20990101000000_slow_down', 'CREATE TABLE "late" (id int);\n', 'SELECT pg_sleep(1.5);\nDROP TABLE "late";\n');
    const { open: before, env: direct } = await projectOn(project.dir, db.url);
    await onEnv(direct, (conn) => upgrade({ db: conn, env: direct, folder: before.folder }, {}));
    const { open, env } = await projectOn(project.dir, viaProxy());
    const run = onEnv(env, (conn) => rollback({ db: conn, env, folder: open.folder }, { steps: 1 })).catch((e: unknown) => e);
    await cutWhileSleeping();
    const err = await run;
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as Error).message).toBe('Lost the connection to url while rolling back 20990101000000_slow_down; the server finished the rollback after the connection dropped: it is rolled back.');
    expect(await sqlOn(db.url, `SELECT to_regclass('"late"')::text AS t`)).toEqual([{ t: null }]);
  });
});
