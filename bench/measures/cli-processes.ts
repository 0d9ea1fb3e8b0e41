import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { BenchDatabases } from '../databases.ts';
import { alternate, ratioResult, runProcess, stats, timeProcess, type BenchContext, type BenchResult } from '../harness.ts';
import { benchProject, GODWIT_BIN } from './status-and-upgrade.ts';
import { writeProject } from '../workloads/generate-project.ts';

const env = { ...process.env, NO_COLOR: '1', PGOPTIONS: '' };
/** Node's own start, as the launcher gives it (see benchStartup). */
const bareNode: NodeJS.ProcessEnv = { ...env, NODE_EXTRA_CA_CERTS: undefined };
/** The command as users run it: the launcher executed as a program (its shell lines start Node). */
const godwitRun = (args: string[]) => timeProcess(GODWIT_BIN, args, { env });
const psqlAs = (program: string) => (url: string, command: string) => timeProcess(program, ['-X', '-q', '-d', url, '-c', command], { env });
const psql = psqlAs('psql');

/**
 * The real psql binary when `psql` on the PATH is Debian's pg_wrapper (a Perl script, ~30 ms, that picks a cluster's
 * version and runs it), else null. The targets are against `psql` as typed; the binary's times are reported beside
 * them, since elsewhere (macOS, RHEL) `psql` is the binary itself.
 */
function psqlBinaryBehindWrapper(): string | null {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'psql')).find((p) => existsSync(p));
  if (!onPath || !realpathSync(onPath).endsWith('pg_wrapper') || !existsSync('/usr/lib/postgresql')) return null;
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/psql`));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? `/usr/lib/postgresql/${newest}/bin/psql` : null;
}

/** B0: `godwit --version` against `node -e 0`: what the CLI adds to Node's own start-up. */
export async function benchStartup(ctx: BenchContext): Promise<BenchResult[]> {
  await runProcess(GODWIT_BIN, ['--version']); // builds the bundle if a source changed: not timed
  const s = await alternate(ctx.quick ? 9 : 21, {
    godwit: { run: () => godwitRun(['--version']) },
    // Node's bare start: without NODE_EXTRA_CA_CERTS, which the launcher keeps from Node's start-up (bin/godwit.cjs).
    node: { run: () => timeProcess(process.execPath, ['-e', '0'], { env: bareNode }) },
  });
  return [ratioResult({
    id: 'B0', what: 'godwit --version (start-up)', unit: 'ms', godwit: stats(s.godwit), baseline: stats(s.node),
    baselineName: 'node -e 0', target: '≤ 2×',
    note: `Both whole processes, alternating; node -e 0 without NODE_EXTRA_CA_CERTS${process.env.NODE_EXTRA_CA_CERTS ? ' (set on this machine: Node would read it at start-up; the launcher defers it)' : ''}.`,
  }, (r) => r <= 2)];
}

/**
 * A Prisma 7 project's config, as real ones write it: dotenv, prisma/config's defineConfig, the URL from the
 * environment (its .env here). Godwit compiles it once and runs it on every command (engine/project/fast-config.ts).
 */
const PRISMA_CONFIG = `import 'dotenv/config';
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: env('DATABASE_URL') },
});
`;

/**
 * B1, B1c, B5a, B5b: `godwit status` (one environment at head of the history), `tables` and `describe` as whole
 * processes against psql reading the history table, `\dt` and `\d`, on the schema the history builds. B1c is B1 on
 * the same history in a project with a prisma.config.ts and a .env, without --url: as a Prisma 7 project runs it.
 */
export async function benchReadCommands(ctx: BenchContext): Promise<BenchResult[]> {
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const { dir, migrations } = await benchProject(ctx, 'read');
    const url = await dbs.create('read');
    const configured = await writeProject(join(ctx.tmp, 'read-configured'), migrations);
    await writeFile(join(configured, 'prisma.config.ts'), PRISMA_CONFIG);
    await writeFile(join(configured, '.env'), `DATABASE_URL="${url}"\n`);
    await runProcess(GODWIT_BIN, ['--project', dir, '--url', url, 'up', '--yes'], { env });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const widest = (await c.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
      AND relname <> '_prisma_migrations' ORDER BY relnatts DESC, relname LIMIT 1`)).rows[0]!.relname;
    await c.end();
    const quoted = `"${widest}"`;
    const godwit = (...args: string[]) => godwitRun(['--project', dir, '--url', url, ...args]);
    await godwit('status'); // warm the file cache for both sides alike
    // The URL comes from the project's .env, not from this process's environment.
    const configuredStatus = () => timeProcess(GODWIT_BIN, ['--project', configured, 'status'], { env: { ...env, DATABASE_URL: undefined } });
    await configuredStatus(); // and compile the config once, as any first run does
    const rounds = ctx.quick ? 9 : 15;
    const binary = psqlBinaryBehindWrapper();
    const psqlBin = psqlAs(binary ?? 'psql');
    const s = await alternate(rounds, {
      status: { run: () => godwit('status') },
      statusConfigured: { run: configuredStatus },
      history: { run: () => psql(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at') },
      tables: { run: () => godwit('tables') },
      dt: { run: () => psql(url, '\\dt') },
      describe: { run: () => godwit('describe', quoted) },
      d: { run: () => psql(url, `\\d ${quoted}`) },
      ...(binary ? {
        historyBin: { run: () => psqlBin(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at') },
        dtBin: { run: () => psqlBin(url, '\\dt') },
        dBin: { run: () => psqlBin(url, `\\d ${quoted}`) },
      } : {}),
    } as Record<string, { run: () => Promise<number> }>);
    const common = 'Whole processes on both sides, alternating; Godwit reads the project (and for status the migrations folder) too.';
    const note = (godwitSide: string, binSide: string) => {
      if (!binary || !s[binSide]) return common;
      const bin = stats(s[binSide]!).median;
      return `${common} psql's own binary, without Debian's Perl wrapper (${binary}): ${bin.toFixed(1)} ms, Godwit ${(stats(s[godwitSide]!).median / bin).toFixed(2)}× that.`;
    };
    const n = migrations.length;
    return [
      ratioResult({ id: 'B1', what: `godwit status, one environment, ${n} migrations`, unit: 'ms', godwit: stats(s.status!), baseline: stats(s.history!), baselineName: "psql -c 'SELECT * FROM _prisma_migrations ORDER BY started_at'", target: '≤ 3× and ≤ 250 ms', note: note('status', 'historyBin') }, (r, median) => r <= 3 && median <= 250),
      ratioResult({ id: 'B1c', what: `godwit status as B1, in a project with prisma.config.ts and .env`, unit: 'ms', godwit: stats(s.statusConfigured!), baseline: stats(s.history!), baselineName: 'psql as B1', target: '≤ 3× and ≤ 250 ms', note: note('statusConfigured', 'historyBin') }, (r, median) => r <= 3 && median <= 250),
      ratioResult({ id: 'B5a', what: `godwit tables on the history's schema`, unit: 'ms', godwit: stats(s.tables!), baseline: stats(s.dt!), baselineName: "psql -c '\\dt'", target: '≤ 1.5×', note: note('tables', 'dtBin') }, (r) => r <= 1.5),
      ratioResult({ id: 'B5b', what: `godwit describe of its widest table`, unit: 'ms', godwit: stats(s.describe!), baseline: stats(s.d!), baselineName: "psql -c '\\d <table>'", target: '≤ 1.5×', note: note('describe', 'dBin') }, (r) => r <= 1.5),
    ];
  } finally {
    await dbs.dropAll();
  }
}
