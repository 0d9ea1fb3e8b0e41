import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { GodwitService } from '../engine/service/godwit-service.ts';
import { SettingsStore } from '../engine/service/settings-store.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { DEMO_HEAD } from '../engine/testing/fixtures.ts';
import { CANARY, canaryLeaks, filesUnder, withCanary } from '../engine/testing/canary.ts';
import { OPERATIONS } from '../shared/operation-names.ts';
import { startBrowserServer, type BrowserServer } from './browser-server.ts';

// A canary password planted everywhere a URL can come from — a literal in godwit.json, an env: variable, a shadow URL,
// the app's password field, URLs that cannot be resolved — then every operation of the contract and its error paths
// driven through browser mode. Nothing the page receives (HTTP bodies, WebSocket events), no file written and no
// audit row may hold it, raw or URL-encoded.
let dbA: TestDatabase;
let dbB: TestDatabase;
/** fromenv's (protected) own database: an environment on a protected one's database is protected too. */
let dbC: TestDatabase;
let shadow: TestDatabase;
let project: TempProject;
let dataDir: string;
let service: GodwitService;
let server: BrowserServer;
const seen: string[] = [];
const previous = process.env.GODWIT_DATA_DIR;

beforeAll(async () => {
  [dbA, dbB, dbC, shadow] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  project = await copyDemoProject();
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-canary-'));
  process.env.GODWIT_DATA_DIR = dataDir;
  process.env.GODWIT_CANARY_URL = withCanary(dbC.url);
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: {
    lit: { url: withCanary(dbA.url), shadowDatabaseUrl: withCanary(shadow.url) },
    fromenv: { url: 'env:GODWIT_CANARY_URL', protected: true },
    badport: { url: `postgresql://app:${CANARY}@127.0.0.1:99999/app` },
    mysql: { url: `mysql://root:${CANARY}@127.0.0.1/app` },
    badshadow: { url: withCanary(dbA.url), shadowDatabaseUrl: `postgresql://app:${CANARY}@127.0.0.1:70000/s` },
    refused: { url: `postgresql://app:${CANARY}@127.0.0.1:1/app` },
  } }, null, 2));
  service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
  server = await startBrowserServer({ service, staticDir: dataDir });
});
afterAll(async () => {
  await server.close();
  await service.close();
  process.env.GODWIT_DATA_DIR = previous;
  delete process.env.GODWIT_CANARY_URL;
  await Promise.all([dbA.drop(), dbB.drop(), dbC.drop(), shadow.drop()]);
  await project.remove();
  await rm(dataDir, { recursive: true, force: true });
});

async function call(op: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${op}`, { method: 'POST', headers: { 'x-godwit-token': server.token, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const text = await res.text();
  seen.push(`${op} ${JSON.stringify(input).includes(CANARY) ? '(canary in input)' : JSON.stringify(input)} → ${text}`);
  return JSON.parse(text) as never;
}

describe('no password on the page, ever', () => {
  it('keeps a canary password out of every payload, file and audit row, for every operation and error path', async () => {
    const events: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
    ws.on('message', (m) => events.push(String(m)));
    await new Promise((resolve) => ws.on('open', resolve));
    const driven = new Set<string>();
    const op = async (name: string, input: unknown) => {
      driven.add(name);
      return call(name, input);
    };

    const opened = await op('project/open', { dir: project.dir });
    expect(opened.ok).toBe(true);
    const envs = (opened.value as { environments: { name: string; error?: string; location: string }[] }).environments;
    // Each unusable URL is reported on its own environment; the others are fine.
    expect(envs.map((e) => [e.name, e.error !== undefined])).toEqual([
      ['lit', false], ['fromenv', false], ['badport', true], ['mysql', true], ['badshadow', true], ['refused', false],
    ]);
    await op('project/current', {});
    await op('project/pick', {});
    const statuses = await op('environments/status', {});
    expect((statuses.value as { environment: string; error?: string }[]).map((s) => [s.environment, s.error === undefined])).toEqual([
      ['lit', true], ['fromenv', true], ['badport', false], ['mysql', false], ['badshadow', false], ['refused', false],
    ]);
    for (const env of ['lit', 'badport', 'mysql', 'badshadow', 'refused']) await op('environments/status', { env, drift: env !== 'refused' });
    // What the app asks for: the project and every status (each error in its own status), packed.
    const overview = await op('project/overview', {});
    expect((overview.value as { statuses: { environments: { environment: string; error?: string }[] } }).statuses.environments.map((s) => [s.environment, s.error === undefined])).toEqual([
      ['lit', true], ['fromenv', true], ['badport', false], ['mysql', false], ['badshadow', false], ['refused', false],
    ]);
    await op('project/overview', { reread: false });
    await op('project/overview', { reread: false, have: (overview.value as { reading: number }).reading });

    // The app's password field, and URLs with passwords it must refuse to write.
    await op('environments/save', { name: 'stage', url: dbB.url, protected: false, password: CANARY });
    await op('environments/save', { name: 'leaky', url: withCanary(dbB.url), protected: false });
    await op('environments/save', { name: 'leaky', url: dbB.url, protected: false, shadowDatabaseUrl: withCanary(shadow.url) });
    await op('environments/save', { name: 'leaky2', url: `mysql://root:${CANARY}@h:99999/x`, protected: false });
    await op('environments/save', { name: 'fromenv', previousName: 'fromenv', url: withCanary(dbB.url), protected: false });
    await op('environments/test', { url: withCanary(dbA.url) });
    await op('environments/test', { url: `postgresql://app:${CANARY}@127.0.0.1:99999/app` });
    await op('environments/test', { url: `postgresql://app:${CANARY}@127.0.0.1:1/app` });
    await op('environments/test', { url: dbB.url.replace('127.0.0.1', '127.0.0.1:1'), name: 'stage' });
    await op('environments/test', { url: 'postgresql://app@127.0.0.1:1/app', password: CANARY });
    // Test connection hop by hop: the stored canary password, a typed one, and a refused server.
    await op('environments/testConnection', { name: 'stage' });
    await op('environments/testConnection', { name: 'refused', password: CANARY });
    await op('environments/testConnection', { name: 'badport' });
    await op('environments/compare', { a: 'lit', b: 'stage' });
    await op('environments/compare', { a: 'lit', b: 'badport' });

    for (const env of ['lit', 'stage', 'badport', 'refused']) {
      await op('migrations/preview', { env, direction: 'up' });
      await op('migrations/preflight', { env });
      await op('migrations/rehearse', { env, sample: 2 });
      const applied = await op('migrations/apply', { env, runId: `up-${env}` });
      expect(applied.ok, `apply on ${env}`).toBe(env === 'lit' || env === 'stage');
      await op('migrations/preview', { env, direction: 'down', steps: 1 });
      await op('migrations/rollback', { env, steps: 1, runId: `down-${env}` });
      await op('migrations/create', { env, name: 'canary check' });
      await op('migrations/generateDown', { env, name: DEMO_HEAD });
      await op('migrations/resolve', { env, name: DEMO_HEAD, as: 'rolled-back' });
      await op('tables/list', { env, plus: true });
      await op('tables/describe', { env, name: 'users', plus: true });
      await op('tables/structure', { env, schema: 'public', name: 'users' });
      await op('audit/list', { env });
      await op('backups/list', { env });
      await op('backups/drop', { env, all: true });
    }
    await op('migrations/stop', { runId: 'no-such-run' });
    await op('migrations/apply', { env: 'fromenv', runId: 'up-prod' });
    await op('migrations/apply', { env: 'fromenv', runId: 'up-prod', confirm: 'fromenv' });
    // Per-table compare and the migration generated from it (nothing written): a reachable pair and a refused one.
    await op('tables/compare', { a: 'lit', b: 'stage', schema: 'public', name: 'users' });
    await op('tables/compare', { a: 'lit', b: 'badport', schema: 'public', name: 'users' });
    await op('tables/compare', { a: 'lit', b: '@migrations', schema: 'public', name: 'users' }); // the shadow URL holds the canary
    await op('tables/compare', { a: '@migrations', b: 'badshadow', schema: 'public', name: 'users' });
    await op('tables/generateMigration', { a: 'lit', b: 'refused', schema: 'public', name: 'users', migrationName: 'canary table' });
    await op('migrations/detail', { name: DEMO_HEAD });
    await op('migrations/analyseSql', { upSql: `-- ${CANARY}\nDROP TABLE users;`, downSql: 'SELECT 1;' });
    await op('project/browse', {});
    await op('project/browse', { path: '/etc' });
    await op('migrations/saveNew', { name: '20990101000000_canary', upSql: 'SELECT 1;', downSql: 'SELECT 1;' });
    // The check's throwaway database is made on the server of an environment whose password is the canary.
    const checked = await op('project/check', { env: 'stage' });
    expect(checked.ok && (checked.value as { throwaway: string }).throwaway).toBe('server');
    await op('project/check', { env: 'badport' });
    await op('project/check', { base: 'origin/main' });
    await op('environments/adoptDrift', { env: 'stage', name: 'canary drift', confirm: 'stage' });
    await op('environments/adoptDrift', { env: 'badport', name: 'canary drift' });
    await op('settings/get', {});
    await op('settings/set', { theme: 'dark' });
    await op('environments/remove', { name: 'fromenv' });
    await op('environments/remove', { name: 'fromenv', confirm: 'fromenv' });
    await op('environments/remove', { name: 'stage', confirm: 'stage' });
    await op('environments/save', { name: 'lit', previousName: 'lit', url: 'env:NOPE', protected: false });
    await op('project/current', {});
    // project/openDemo opens Godwit's own demo (embedded databases, no URL of the user's): the one operation not driven.
    expect(OPERATIONS.filter((o) => !driven.has(o))).toEqual(['project/openDemo']);
    ws.close();

    const leaks: string[] = [];
    for (const s of seen) leaks.push(...canaryLeaks(s, 'HTTP'));
    for (const e of events) leaks.push(...canaryLeaks(e, 'WebSocket'));
    expect(events.length).toBeGreaterThan(0);
    for (const f of [...(await filesUnder(project.dir)), ...(await filesUnder(dataDir))]) {
      // godwit.json is the user's own file, and they wrote the canary into it themselves.
      if (f.path !== join(project.dir, 'godwit.json')) leaks.push(...canaryLeaks(f.text, f.path));
    }
    for (const db of [dbA, dbB, dbC]) {
      const rows = await sqlOn(db.url, "SELECT row_to_json(a)::text AS r FROM godwit.audit_log a").catch(() => [] as { r: string }[]);
      for (const { r } of rows as { r: string }[]) leaks.push(...canaryLeaks(r, `audit ${db.name}`));
    }
    expect(leaks).toEqual([]);
  });
});
