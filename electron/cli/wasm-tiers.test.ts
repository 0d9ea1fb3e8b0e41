import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordedRuns } from './testing/recorded-runs.ts';
import { createTestDatabase, type TestDatabase } from '../engine/testing/test-database.ts';
import { DEMO_PROJECT_DIR } from '../engine/demo/open-demo.ts';

/**
 * Records, in order, what the launcher does to V8's flags and how the CLI's bundle compiles: `flag --liftoff-only`
 * and `compile none|accepted|rejected` (the code cache it was given), and whether net was loaded before the flag was
 * set. Loaded with NODE_OPTIONS=--require.
 */
const RECORDER = `
const v8 = require('node:v8'), vm = require('node:vm'), fs = require('node:fs');
const events = [];
const set = v8.setFlagsFromString;
let netBeforeFlag = false;
v8.setFlagsFromString = (flag) => {
  events.push('flag ' + flag);
  netBeforeFlag = process.moduleLoadList.includes('NativeModule net');
  return set(flag);
};
vm.Script = class extends vm.Script {
  constructor(source, options) {
    super(source, options);
    if (/[\\/]cli(-read)?\.cjs$/.test(String(options && options.filename))) { // either bundle (bin/godwit.cjs, BUNDLE_ENTRIES)
      events.push('compile ' + (!options.cachedData ? 'none' : this.cachedDataRejected ? 'rejected' : 'accepted'));
    }
  }
};
process.on('exit', () => fs.writeFileSync(process.env.GODWIT_RECORD + '.' + process.pid, JSON.stringify({ events, netBeforeFlag })));
`;

// Setting a V8 flag at run time voids Node's code cache for its own modules, so commands that compile no WebAssembly
// run with the default flags, and the others (or an embedded database, which loads PGlite) ask for Liftoff: see
// bin/godwit.cjs and engine/util/wasm-tiers.ts.
describe('the launcher sets --liftoff-only only for commands that compile WebAssembly', () => {
  let recorder: RecordedRuns<{ events: string[]; netBeforeFlag: boolean }>;
  let db: TestDatabase;
  let dataDir: string;
  // A bundle and code caches of this test's own, where packages still resolve (inside node_modules).
  const bundleCache = join(DEMO_PROJECT_DIR, 'node_modules', '.cache', `godwit-tiers-test-${process.pid}`);

  beforeAll(async () => {
    recorder = new RecordedRuns(RECORDER);
    dataDir = mkdtempSync(join(tmpdir(), 'godwit-tiers-'));
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    recorder?.remove();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bundleCache, { recursive: true, force: true });
  });

  /** Runs godwit with the recorder, on this test's own bundle: its exit code, and what the recorder saw. */
  async function recorded(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; events: string[]; netBeforeFlag: boolean }> {
    const r = await recorder.run(args, { ...env, GODWIT_BUNDLE_CACHE: bundleCache, GODWIT_REQUIRE_BUNDLE: '1' });
    return { code: r.code, stderr: r.stderr, ...r.seen };
  }

  it('tables on a server: default flags, and the code cache its first run writes is accepted by the next', async () => {
    const first = await recorded(['--url', db.url, 'tables']);
    expect(first.stderr).toBe('');
    expect(first.events).toEqual(['compile none']);
    const second = await recorded(['--url', db.url, 'tables']);
    expect(second.events).toEqual(['compile accepted']);
  }, 120_000);

  it('sql (the SQL parser) sets the flag before the CLI compiles, after the built-ins it needs; status and status --drift keep caches apart', async () => {
    const sql = await recorded(['--url', db.url, 'sql']);
    expect(sql.stderr).toBe('');
    expect(sql.events[0]).toBe('flag --liftoff-only');
    expect(sql.events.slice(1)).toEqual([expect.stringMatching(/^compile /)]);
    // The first run records the built-ins it loaded; the next loads them before the flag voids Node's code cache.
    expect(sql.netBeforeFlag).toBe(false);
    const again = await recorded(['--url', db.url, 'sql']);
    expect(again.events).toEqual(['flag --liftoff-only', 'compile accepted']);
    expect(again.netBeforeFlag).toBe(true);

    const status = await recorded(['--url', db.url, 'status']);
    expect(status.events).toEqual(['compile none']);
    const drift = await recorded(['--url', db.url, 'status', '--drift']);
    expect(drift.events).toEqual(['flag --liftoff-only', 'compile none']);
    // Neither voided the other's cache.
    expect((await recorded(['--url', db.url, 'status'])).events).toEqual(['compile accepted']);
    expect((await recorded(['--url', db.url, 'status', '--drift'])).events).toEqual(['flag --liftoff-only', 'compile accepted']);
  }, 180_000);

  it('tables on an embedded database sets the flag when PGlite loads, after the code cache was taken', async () => {
    const data = { GODWIT_DATA_DIR: join(dataDir, 'data') };
    // No cache yet for tables: this run writes the one taken before the flag changed.
    for (const build of existsSync(bundleCache) ? readdirSync(bundleCache).filter((f) => f.startsWith('build-')) : []) {
      rmSync(join(bundleCache, build, 'code-cache-cli-read-tables.bin'), { force: true });
    }
    const first = await recorded(['--env', 'dev', 'tables'], data);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.events).toEqual(['compile none', 'flag --liftoff-only']);
    // A cache taken after the flag changed would carry the new flag hash and be rejected here.
    const again = await recorded(['--env', 'dev', 'tables'], data);
    expect(again.events).toEqual(['compile accepted', 'flag --liftoff-only']);
  }, 180_000);
});
