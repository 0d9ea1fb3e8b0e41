import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchDatabases } from '../databases.ts';
import { ratioResult, stats, timeProcess, type BenchContext, type BenchResult } from '../harness.ts';
import { generateMigrations, writeProject, type GeneratedMigration } from '../workloads/generate-project.ts';
import { serverFloorMs } from './server-floor.ts';

export const migrationCount = (ctx: BenchContext) => (ctx.quick ? 40 : 1000);
export const GODWIT_BIN = join(import.meta.dirname, '..', '..', 'bin', 'godwit.cjs');

/** The realistic history as a Prisma project on disk. */
export async function benchProject(ctx: BenchContext, label = 'project'): Promise<{ dir: string; migrations: GeneratedMigration[] }> {
  const migrations = generateMigrations(migrationCount(ctx));
  const dir = await writeProject(join(ctx.tmp, label), migrations);
  return { dir, migrations };
}

/**
 * psql's script for the same files, in one session: each file between BEGIN and COMMIT (as Godwit runs it; a file
 * PostgreSQL refuses in a transaction, CREATE INDEX CONCURRENTLY, on its own), included with \i so psql reads the
 * very files Godwit reads.
 */
async function psqlScript(path: string, projectDir: string, migrations: GeneratedMigration[], file: 'migration.sql' | 'down.sql'): Promise<string> {
  const lines = migrations.map((m) => {
    const include = `\\i '${join(projectDir, 'prisma', 'migrations', m.name, file).replace(/'/g, "''")}'`;
    return /\bCONCURRENTLY\b/.test(file === 'down.sql' ? m.down : m.up) ? include : `BEGIN;\n${include}\nCOMMIT;`;
  });
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const syncOff = { ...process.env, PGOPTIONS: '-c synchronous_commit=off', NO_COLOR: '1' };
const syncOn = { ...process.env, PGOPTIONS: '', NO_COLOR: '1' };
/** As a first run after installing or upgrading Godwit: every script parsed (engine/sql/analysis-cache.ts). */
const syncOffCold = { ...syncOff, GODWIT_ANALYSIS_CACHE: 'off' };
const psql = (url: string, file: string, env: NodeJS.ProcessEnv) => timeProcess('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', file], { env });
const godwit = (url: string, dir: string, args: string[], env: NodeJS.ProcessEnv) => timeProcess(GODWIT_BIN, ['--project', dir, '--url', url, ...args], { env });

/**
 * B2/B4: `godwit up` of the whole history on an empty database, then `godwit down --base`, each a whole process,
 * against psql running the same files in one session — with synchronous_commit on (PostgreSQL's default) and off
 * (Godwit given the same setting through PGOPTIONS). Rounds rotate who goes first; each run gets a fresh database.
 */
export async function benchUpDown(ctx: BenchContext): Promise<BenchResult[]> {
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const { dir, migrations } = await benchProject(ctx, 'updown');
    const reversed = [...migrations].reverse();
    const upSql = await psqlScript(join(ctx.tmp, 'up.sql'), dir, migrations, 'migration.sql');
    const downSql = await psqlScript(join(ctx.tmp, 'down.sql'), dir, reversed, 'down.sql');
    const sides = {
      godwitOn: (url: string) => [godwit(url, dir, ['up', '--yes'], syncOn), () => godwit(url, dir, ['down', '--base', '--yes'], syncOn)] as const,
      godwitOff: (url: string) => [godwit(url, dir, ['up', '--yes'], syncOff), () => godwit(url, dir, ['down', '--base', '--yes'], syncOff)] as const,
      godwitCold: (url: string) => [godwit(url, dir, ['up', '--yes'], syncOffCold), () => godwit(url, dir, ['down', '--base', '--yes'], syncOffCold)] as const,
      psqlOn: (url: string) => [psql(url, upSql, syncOn), () => psql(url, downSql, syncOn)] as const,
      psqlOff: (url: string) => [psql(url, upSql, syncOff), () => psql(url, downSql, syncOff)] as const,
      // The floor: the same scripts timed inside the server (synchronous_commit off: the least it must do), each round.
      floor: (url: string) => [serverFloorMs(url, migrations.map((m) => m.up), 'off'), () => serverFloorMs(url, reversed.map((m) => m.down), 'off')] as const,
    };
    type Side = keyof typeof sides;
    const up: Record<Side, number[]> = { godwitOn: [], godwitOff: [], godwitCold: [], psqlOn: [], psqlOff: [], floor: [] };
    const down: Record<Side, number[]> = { godwitOn: [], godwitOff: [], godwitCold: [], psqlOn: [], psqlOff: [], floor: [] };
    // Godwit keeps what parsing each script told it between runs: one run first, not timed, so B2/B4 measure the
    // runs after it (B2c/B4c measure a first run).
    {
      const url = await dbs.create('warmup');
      const [upRun, downRun] = sides.godwitOff(url);
      await upRun;
      await downRun();
      await dbs.dropAll();
    }
    const names = Object.keys(sides) as Side[];
    // As many rounds as sides: each side goes first, second, … once (five rounds of six sides left one position out).
    const rounds = ctx.quick ? 3 : names.length;
    for (let round = 0; round < rounds; round++) {
      for (const name of names.map((_, i) => names[(i + round) % names.length]!)) {
        const url = await dbs.create(name.toLowerCase());
        const [upRun, downRun] = sides[name](url);
        up[name].push(await upRun);
        down[name].push(await downRun());
        await dbs.dropAll();
      }
    }
    const floorUp = stats(up.floor).median;
    const floorDown = stats(down.floor).median;
    const n = migrations.length;
    const note = 'Whole processes on both sides (bin/godwit.cjs run as a program, as `godwit` on the PATH runs; psql -f with \\i of each file), fresh database per run, rounds alternate.';
    const result = (id: string, what: string, g: number[], b: number[], baselineName: string, target: string, limit: number, floorMs: number): BenchResult => {
      const r = ratioResult({ id, what, unit: 'ms', godwit: stats(g), baseline: stats(b), baselineName, target, note }, (ratio) => ratio <= limit);
      return { ...r, floor: { ms: floorMs, ratio: r.godwit.median / floorMs } };
    };
    return [
      result('B2', `godwit up of ${n} migrations (synchronous_commit on)`, up.godwitOn, up.psqlOn, 'psql, one session, each file in BEGIN/COMMIT, synchronous_commit on', '≤ 1.1×', 1.1, floorUp),
      result('B2s', `godwit up of ${n} migrations, both with synchronous_commit off`, up.godwitOff, up.psqlOff, 'psql as B2 with PGOPTIONS=-c synchronous_commit=off', '≤ 1.1×', 1.1, floorUp),
      result('B2c', `godwit up of ${n} migrations, synchronous_commit off, every script parsed (a first run)`, up.godwitCold, up.psqlOff, 'psql as B2s', '≤ 1.1×', 1.1, floorUp),
      result('B4', `godwit down --base of ${n} migrations (synchronous_commit on)`, down.godwitOn, down.psqlOn, 'psql running the down.sql files the same way', '≤ 1.1×', 1.1, floorDown),
      result('B4s', `godwit down --base of ${n} migrations, both with synchronous_commit off`, down.godwitOff, down.psqlOff, 'psql as B4 with synchronous_commit off', '≤ 1.1×', 1.1, floorDown),
      result('B4c', `godwit down --base of ${n} migrations, synchronous_commit off, every script parsed (a first run)`, down.godwitCold, down.psqlOff, 'psql as B4s', '≤ 1.1×', 1.1, floorDown),
    ];
  } finally {
    await dbs.dropAll();
  }
}
