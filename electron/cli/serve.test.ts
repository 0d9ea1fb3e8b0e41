import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PROJECT_DIR } from '../engine/demo/open-demo.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { createTestDatabase, type TestDatabase } from '../engine/testing/test-database.ts';
import type { ProjectDto } from '../shared/dto.ts';
import { runGodwit } from './testing/run-cli.ts';

let project: TempProject;
let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  project = await copyDemoProject();
  db = await createTestDatabase();
  // Two environments and no dev: serve shows them all, it does not pick one (it used to refuse: "Choose an environment").
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { staging: { url: db.url }, prod: { url: 'env:GODWIT_SERVE_TEST_PROD_URL', protected: true } } }));
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-serve-data-'));
});
afterAll(async () => {
  await project.remove();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the real `godwit serve` and resolves with the URL it prints; the caller kills it. */
function startServe(args: string[], cwd: string): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, [join(DEMO_PROJECT_DIR, 'bin', 'godwit.cjs'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', GODWIT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/.exec(out);
      if (m) resolve({ child, url: new URL(m[0]) });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => reject(new Error(`godwit serve exited (${code}) before listening: ${err}`)));
  });
}

async function currentProject(url: URL): Promise<ProjectDto | null> {
  const res = await fetch(new URL('/api/project/current', url), {
    method: 'POST',
    headers: { 'x-godwit-token': url.searchParams.get('token')!, 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await res.json()) as { ok: boolean; value: ProjectDto | null };
  expect(body.ok).toBe(true);
  return body.value;
}

async function served(args: string[], cwd: string = tmpdir()): Promise<ProjectDto | null> {
  const { child, url } = await startServe(args, cwd);
  try {
    return await currentProject(url);
  } finally {
    const closed = new Promise((r) => child.once('close', r));
    child.kill('SIGTERM');
    await closed;
  }
}

describe('godwit serve opens the project it is given (browser mode)', () => {
  // The program-wide --project used to swallow serve's own, wherever it was written: the app opened nothing.
  it.each([
    [['serve', '--project', '<dir>']],
    [['serve', '-p', '<dir>']],
    [['--project', '<dir>', 'serve']],
    [['-p', '<dir>', 'serve', '--port', '0']],
  ])('godwit %j', async (args) => {
    const opened = await served(args.map((a) => (a === '<dir>' ? project.dir : a)));
    expect(opened?.dir).toBe(project.dir);
    expect(opened?.environments.map((e) => e.name)).toEqual(['staging', 'prod']);
  }, 120_000);

  it('serve --url shows that database as the project\'s one environment, "url" (project: the current folder)', async () => {
    const opened = await served(['serve', '--url', db.url], project.dir);
    expect(opened?.dir).toBe(project.dir);
    expect(opened?.environments.map((e) => e.name)).toEqual(['url']);
    expect(opened?.environments[0]?.location).toContain(db.name);
  }, 120_000);

  it('serve with neither opens nothing; bad combinations are one line and exit 2', async () => {
    expect(await served(['serve'])).toBeNull();
    const both = await runGodwit(['serve', '--demo', '--project', project.dir], { env: { GODWIT_DATA_DIR: dataDir } });
    expect([both.code, both.stderr]).toEqual([2, 'Error: Choose --demo or --project/--url, not both.\n']);
    const badUrl = await runGodwit(['serve', '--url', 'mysql://x@y/z'], { cwd: project.dir });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^Error: .*cannot parse the database URL mysql:\/\/x@y\/z.*\n$/i);
    const blank = await runGodwit(['serve', '--project', '']);
    expect([blank.code, blank.stderr]).toEqual([2, 'Error: --project is empty: give a value (an unset variable in a script?).\n']);
  }, 120_000);
});
