import pg from 'pg';
import { BenchDatabases } from '../databases.ts';
import { dropDatabase, listCaches } from '../../electron/engine/shadow-cache/cache-store.ts';
import { alternate, ratioResult, runProcess, stats, timeProcess, type BenchContext, type BenchResult } from '../harness.ts';
import { benchProject, GODWIT_BIN } from './status-and-upgrade.ts';

const on = { ...process.env, NO_COLOR: '1', PGOPTIONS: '' };
const off = { ...on, GODWIT_SHADOW_CACHE: 'off' };

/**
 * B10a/B10b: `godwit status --drift` and `godwit down-sql <last migration>` on the generated history, warm (the shadow
 * cache holds the replayed states: README, "Shadow cache") against the same command with the cache off (the engine
 * replays the whole history), whole processes, alternating. Target: warm ≤ 2 s.
 */
export async function benchShadowCache(ctx: BenchContext): Promise<BenchResult[]> {
  const dbs = new BenchDatabases(ctx.serverUrl);
  const admin = new pg.Client({ connectionString: ctx.serverUrl });
  await admin.connect();
  const before = new Set((await listCaches(admin)).map((e) => e.datname));
  try {
    const { dir, migrations } = await benchProject(ctx, 'shadow-cache');
    const url = await dbs.create('shadow_cache');
    const godwit = (env: NodeJS.ProcessEnv, ...args: string[]) => timeProcess(process.execPath, [GODWIT_BIN, '--project', dir, '--url', url, ...args], { env });
    await runProcess(process.execPath, [GODWIT_BIN, '--project', dir, '--url', url, 'up', '--yes'], { env: on });
    const last = migrations[migrations.length - 1]!.name;
    // Fill the cache (and the bundle, the file cache) before timing.
    await godwit(on, 'status', '--drift');
    await godwit(on, 'down-sql', last);
    const rounds = ctx.quick ? 3 : 7;
    const s = await alternate(rounds, {
      driftWarm: { run: () => godwit(on, 'status', '--drift') },
      driftOff: { run: () => godwit(off, 'status', '--drift') },
      downWarm: { run: () => godwit(on, 'down-sql', last) },
      downOff: { run: () => godwit(off, 'down-sql', last) },
    });
    const n = migrations.length;
    const note = 'Whole processes, alternating; the baseline is the same command with GODWIT_SHADOW_CACHE=off (full replay).';
    return [
      ratioResult({ id: 'B10a', what: `godwit status --drift, ${n} migrations, shadow cache warm`, unit: 'ms', godwit: stats(s.driftWarm), baseline: stats(s.driftOff), baselineName: 'the same, cache off', target: 'warm ≤ 2,000 ms', note }, (_r, median) => median <= 2000),
      ratioResult({ id: 'B10b', what: `godwit down-sql of the last of ${n} migrations, shadow cache warm`, unit: 'ms', godwit: stats(s.downWarm), baseline: stats(s.downOff), baselineName: 'the same, cache off', target: 'warm ≤ 2,000 ms', note }, (_r, median) => median <= 2000),
    ];
  } finally {
    await dbs.dropAll();
    // The caches this measure made go with it; others on the server are left alone.
    for (const e of await listCaches(admin)) if (!before.has(e.datname)) await dropDatabase(admin, e.datname);
    await admin.end();
  }
}
