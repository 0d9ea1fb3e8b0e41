import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../engine/testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { runGodwit } from './testing/run-cli.ts';

const CANARY = '9f3aQ7@canary2';
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

const noCanary = (text: string) => {
  expect(text).not.toContain('canary2');
  expect(text).not.toContain(encodeURIComponent(CANARY));
};

describe('one environment with an unusable URL', () => {
  it('is reported by name in status --all and log --all while the others show, with an intact hint and no password', async () => {
    await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: {
      dev: { url: db.url },
      broken: { url: `postgresql://app:${CANARY}@db.example:99999/app` },
      mysql: { url: `mysql://root:${CANARY}@db.example/app` },
      shadowy: { url: db.url, shadowDatabaseUrl: `postgresql://app:${CANARY}@db.example:70000/shadow` },
    } }));
    const status = await runGodwit(['--project', project.dir, 'status', '--all', '--json']);
    expect(status.code).toBe(2);
    const rows = JSON.parse(status.stdout) as { environment: string; error?: string; location: string }[];
    expect(rows.map((r) => [r.environment, r.error === undefined])).toEqual([['dev', true], ['broken', false], ['mysql', false], ['shadowy', false]]);
    expect(rows[1]!.error).toContain('Expected postgresql://user@host:port/database');
    expect(status.stderr).toMatch(/broken: Environment "broken": cannot parse the database URL postgresql:\/\/app:\*\*\*\*@db\.example:99999\/app/);
    noCanary(status.stdout + status.stderr);
    const text = await runGodwit(['--project', project.dir, 'status']);
    expect(text.stdout).toContain('dev');
    expect(text.stdout).toMatch(/shadowy.*\n.*cannot read: Environment "shadowy" shadowDatabaseUrl/);
    noCanary(text.stdout + text.stderr);

    expect((await runGodwit(['--project', project.dir, 'up', '--env', 'dev', '--yes'])).code).toBe(0);
    const log = await runGodwit(['--project', project.dir, 'log', '--all', '--json']);
    expect(log.code).toBe(2);
    expect((JSON.parse(log.stdout) as { environment: string }[]).map((e) => e.environment)).toEqual(['dev']);
    for (const name of ['broken', 'mysql', 'shadowy']) expect(log.stderr).toContain(`${name}: Environment "${name}"`);
    noCanary(log.stdout + log.stderr);
  });
});

describe('an ad-hoc --url on a protected environment\'s database', () => {
  it('takes that environment\'s name and protection', async () => {
    await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: { url: db.url, protected: true } } }));
    const same = db.url.replace('127.0.0.1', 'localhost').replace('postgresql://', 'postgres://');
    const refused = await runGodwit(['--project', project.dir, '--url', same, 'up', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/prod is protected/);
    expect((await runGodwit(['--project', project.dir, '--url', same, 'up', '--yes', '--confirm', 'url'])).code).toBe(2);
    expect((await runGodwit(['--project', project.dir, '--url', same, 'up', '--yes', '--confirm', 'prod'])).code).toBe(0);
    // Other spellings of this machine reach prod too (127.1, the 32-bit number, 0.0.0.0, the host name).
    for (const host of ['127.1', '2130706433', '0.0.0.0', hostname()]) {
      const alias = db.url.replace('127.0.0.1', host);
      const r = await runGodwit(['--project', project.dir, '--url', alias, 'down', '--yes']);
      expect([r.code, r.stderr], host).toEqual([2, expect.stringMatching(/prod is protected/)]);
    }
    // A second, unprotected name for prod in godwit.json is protected as well.
    await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: { url: db.url, protected: true }, copy: { url: db.url.replace('127.0.0.1', '127.1') } } }));
    const viaCopy = await runGodwit(['--project', project.dir, 'down', '--env', 'copy', '--yes']);
    expect([viaCopy.code, viaCopy.stderr]).toEqual([2, expect.stringMatching(/copy is protected/)]);
    // Another database on the same server is not prod.
    const other = await createTestDatabase();
    try {
      expect((await runGodwit(['--project', project.dir, '--url', other.url, 'up', '--yes'])).code).toBe(0);
    } finally {
      await other.drop();
    }
  });
});
