import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { DEMO_PROJECT_DIR } from '../engine/demo/open-demo.ts';

// The launcher rebuilds the bundle when a source the command line can run has changed, and only then
// (bin/godwit.cjs, freshBundle): in a copy of the CLI's sources, edited here, so the repository's bundle is untouched.
describe('the bundled CLI is rebuilt when a source its command runs changes', () => {
  let root: string;
  let db: TestDatabase;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'godwit-fresh-'));
    // Timestamps kept: files written within the last second count as changed while building (bin/godwit.cjs).
    for (const part of ['bin', 'electron', 'package.json', 'package-lock.json']) cpSync(join(DEMO_PROJECT_DIR, part), join(root, part), { recursive: true, preserveTimestamps: true });
    symlinkSync(join(DEMO_PROJECT_DIR, 'node_modules'), join(root, 'node_modules'));
    cpSync(join(DEMO_PROJECT_DIR, 'prisma'), join(root, 'project', 'prisma'), { recursive: true });
    db = await createTestDatabase();
    await sqlOn(db.url, 'CREATE TABLE "Thing" (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const godwit = (...args: string[]) => spawnSync(join(root, 'bin', 'godwit.cjs'), ['--project', join(root, 'project'), ...args], {
    encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GODWIT_REQUIRE_BUNDLE: '1', GODWIT_BUNDLE_CACHE: join(root, 'cache') },
  });
  const bundleDir = () => (JSON.parse(readFileSync(join(root, 'cache', 'manifest.json'), 'utf8')) as { dir: string }).dir;
  /** An edit that changes a file's size and mtime, as a developer's would. */
  const touch = (rel: string) => appendFileSync(join(root, rel), '\n// edited\n');

  it('an edit outside what tables imports leaves its bundle; one inside, or in the CLI\'s core, rebuilds it', async () => {
    const first = godwit('--url', db.url, 'tables');
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Thing');
    const built = bundleDir();
    // From the smaller read bundle (run-read.ts), whose code cache is its own.
    const caches = readdirSync(join(root, 'cache', built)).filter((f) => f.startsWith('code-cache-'));
    expect(caches).toEqual(['code-cache-cli-read-tables.bin']);
    expect(godwit('--url', db.url, 'describe', '"Thing"').stdout).toContain('Table "public.Thing"');

    // new's engine: tables never runs it, so its bundle stands; `new` itself rebuilds.
    touch('electron/engine/create/new-migration.ts');
    expect(godwit('--url', db.url, 'tables').stdout).toContain('Thing');
    expect(bundleDir()).toBe(built);
    expect(godwit('new', '--help').status).toBe(0);
    const afterNew = bundleDir();
    expect(afterNew).not.toBe(built);

    // What tables prints: rebuilt, and the edit shows.
    const listing = 'electron/engine/introspect/render-listing.ts';
    writeFileSync(join(root, listing), readFileSync(join(root, listing), 'utf8').replace("title: 'List of relations'", "title: 'List of relations (edited)'"));
    const edited = godwit('--url', db.url, 'tables');
    expect(edited.stdout).toContain('List of relations (edited)');
    const afterListing = bundleDir();
    expect(afterListing).not.toBe(afterNew);

    // The CLI's core (every command runs it) rebuilds for any command, --version included.
    touch('electron/cli/main.ts');
    expect(godwit('--version').status).toBe(0);
    expect(bundleDir()).not.toBe(afterListing);
  }, 120_000);

  it('a file edited just before a build is settled by the next command: later ones take the quick check again', () => {
    const listing = 'electron/engine/introspect/render-listing.ts';
    const printOf = (rel: string) => new Map((JSON.parse(readFileSync(join(root, 'cache', 'manifest.json'), 'utf8')) as { inputs: [string, string][] }).inputs).get(rel);
    touch(listing);
    expect(godwit('--url', db.url, 'tables').status).toBe(0);
    const built = bundleDir();
    // Written within the second before the build began: the build cannot tell whether it read the last version.
    expect(printOf(listing)).toBe('changed-during-build');
    // Unchanged since before that build: the bundle is kept, and its print written down for the commands after.
    expect(godwit('--url', db.url, 'tables').stdout).toContain('Thing');
    expect(bundleDir()).toBe(built);
    expect(printOf(listing)).toMatch(/^\d+:[\d.]+$/);
  }, 120_000);

  it('commands started together after an edit build the bundle once; the others wait for it', async () => {
    const { spawn } = await import('node:child_process');
    const builds = () => readdirSync(join(root, 'cache')).filter((d) => d.startsWith('build-'));
    expect(godwit('--version').status).toBe(0);
    const before = new Set(builds());
    touch('electron/cli/main.ts');
    const runs = Array.from({ length: 4 }, () => new Promise<number | null>((resolve) => {
      const child = spawn(join(root, 'bin', 'godwit.cjs'), ['--version'], { env: { ...process.env, GODWIT_REQUIRE_BUNDLE: '1', GODWIT_BUNDLE_CACHE: join(root, 'cache') }, stdio: 'ignore' });
      child.on('close', resolve);
    }));
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    expect(builds().filter((d) => !before.has(d))).toHaveLength(1);
    expect(existsSync(join(root, 'cache', '.building'))).toBe(false);
  }, 120_000);

  it('a damaged manifest or bundle folder rebuilds, a damaged list of built-ins to load ahead is ignored', async () => {
    expect(godwit('--version').status).toBe(0);
    const manifestPath = join(root, 'cache', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { dir: string; needs: Record<string, unknown> };
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, needs: { ...manifest.needs, always: null } }));
    const run = godwit('--version');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(bundleDir()).not.toBe(manifest.dir);
    // So does a bundle folder that lost its command table.
    const lost = bundleDir();
    rmSync(join(root, 'cache', lost, 'command-modules.cjs'));
    const again = godwit('--version');
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(bundleDir()).not.toBe(lost);

    // `sql` sets --liftoff-only and loads ahead what its last run recorded (bin/godwit.cjs, loadBuiltinsFrom); a run
    // that builds the bundle records nothing, and a file edited within a second of a build makes the next run build.
    const list = () => join(root, 'cache', bundleDir(), 'builtins-sql-liftoff.json');
    for (let i = 0; i < 5 && !existsSync(list()); i++) {
      await new Promise((r) => setTimeout(r, 1100));
      expect(godwit('--url', db.url, 'sql').status).toBe(0);
    }
    expect(JSON.parse(readFileSync(list(), 'utf8'))).toContain('net');
    for (const damaged of ['{"net": true}', '["net", 5, null, "no-such-module"]', 'not json']) {
      writeFileSync(list(), damaged);
      const sql = godwit('--url', db.url, 'sql');
      expect(sql.stderr, damaged).toBe('');
      expect(sql.status, damaged).toBe(0);
      expect(sql.stdout, damaged).toContain('Nothing to apply'); // this copy's project has no migrations
    }
  }, 120_000);
});
