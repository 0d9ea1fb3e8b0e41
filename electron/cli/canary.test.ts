import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { DEMO_HEAD } from '../engine/testing/fixtures.ts';
import { CANARY, canaryLeaks, filesUnder, withCanary } from '../engine/testing/canary.ts';
import { runGodwit } from './testing/run-cli.ts';

// The command line's side of the canary test: the password planted in a literal godwit.json URL, an env: variable,
// --url (given literally and as env:VAR), a shadow URL and unusable URLs; every command and its error paths run; no
// output, no file written and no audit row may hold it.
let db: TestDatabase;
let shadow: TestDatabase;
/** prod's own database: an environment on a protected one's database is protected too. */
let prodDb: TestDatabase;
let project: TempProject;
let dataDir: string;

beforeAll(async () => {
  [db, shadow, prodDb] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  project = await copyDemoProject();
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-cli-canary-'));
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: {
    dev: { url: withCanary(db.url), shadowDatabaseUrl: withCanary(shadow.url) },
    prod: { url: 'env:CANARY_PROD_URL', protected: true },
    badport: { url: `postgresql://app:${CANARY}@127.0.0.1:99999/app` },
    mysql: { url: `mysql://root:${CANARY}@127.0.0.1/app` },
    refused: { url: `postgresql://app:${CANARY}@127.0.0.1:1/app` },
  } }));
});
afterAll(async () => {
  await Promise.all([db.drop(), shadow.drop(), prodDb.drop()]);
  await project.remove();
  await rm(dataDir, { recursive: true, force: true });
});

describe('no password in any output of the command line', () => {
  it('keeps a canary password out of stdout, stderr, files and audit rows for every command and error path', { timeout: 300_000 }, async () => {
    const env = { GODWIT_DATA_DIR: dataDir, CANARY_PROD_URL: withCanary(prodDb.url), CANARY_URL: withCanary(db.url) };
    const p = ['--project', project.dir];
    const runs: string[][] = [];
    const every = (target: string[]) => [
      [...p, ...target, 'status', '--drift'], [...p, ...target, 'status', '--json'], [...p, ...target, 'sql'],
      [...p, ...target, 'up', '--yes'], [...p, ...target, 'sql', '--down'], [...p, ...target, 'down', '--yes'],
      [...p, ...target, 'new', 'canary', '--dry-run'], [...p, ...target, 'down-sql', DEMO_HEAD],
      [...p, ...target, 'resolve', '--applied', DEMO_HEAD, '--yes'], [...p, ...target, 'log', '--json'],
      [...p, ...target, 'tables', '--plus'], [...p, ...target, 'describe', 'users'],
    ];
    // Every command on reachable URLs from each source; on unusable ones, a command of each kind (they fail alike).
    for (const target of [['--env', 'dev'], ['--url', withCanary(db.url)]]) runs.push(...every(target));
    runs.push(...every(['--url', 'env:CANARY_URL']).filter((a) => ['status', 'up', 'down', 'log'].includes(a[3]!)));
    for (const target of [['--env', 'badport'], ['--env', 'mysql'], ['--env', 'refused'], ['--url', `postgresql://u:${CANARY}@127.0.0.1:0/x`]]) {
      runs.push([...p, ...target, 'status'], [...p, ...target, 'up', '--yes'], [...p, ...target, 'describe', 'users']);
    }
    runs.push(
      [...p, 'status', '--all'], [...p, 'log', '--all'], [...p, 'up', '--env', 'prod', '--yes'], [...p, 'up', '--env', 'prod', '--yes', '--confirm', 'prod'],
      [...p, 'compare', '--env', 'dev', '--env', 'prod'], [...p, 'compare', '--env', 'dev', '--env', 'badport'], [...p, '--url', `mysql://r:${CANARY}@h/x`, 'status'],
    );
    const leaks: string[] = [];
    let succeeded = 0;
    for (const args of runs) {
      const r = await runGodwit(args, { env });
      if (r.code === 0) succeeded++;
      const shown = args.map((a) => (a.includes(CANARY) ? '<canary url>' : a)).join(' ');
      leaks.push(...canaryLeaks(r.stdout, `stdout of ${shown}`), ...canaryLeaks(r.stderr, `stderr of ${shown}`));
    }
    expect(succeeded).toBeGreaterThan(15); // the happy paths ran, not only the errors
    for (const f of [...(await filesUnder(project.dir)), ...(await filesUnder(dataDir))]) {
      if (f.path !== join(project.dir, 'godwit.json')) leaks.push(...canaryLeaks(f.text, f.path));
    }
    const rows = await sqlOn(db.url, 'SELECT row_to_json(a)::text AS r FROM godwit.audit_log a') as { r: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const { r } of rows) leaks.push(...canaryLeaks(r, 'audit row'));
    expect(leaks).toEqual([]);
  });
});
