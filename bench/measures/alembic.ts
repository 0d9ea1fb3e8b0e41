import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BenchDatabases } from '../databases.ts';
import { runProcess, stats, type BenchContext, type BenchResult } from '../harness.ts';
import { generateMigrations, writeProject, type GeneratedMigration } from '../workloads/generate-project.ts';
import { migrationCount } from './status-and-upgrade.ts';

/** Debian's python3-alembic installs for the system Python, which may not be the first python3 on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';

function alembicAvailable(): boolean {
  return existsSync(SYSTEM_PYTHON) && spawnSync(SYSTEM_PYTHON, ['-c', 'import alembic, psycopg2'], { stdio: 'ignore' }).status === 0;
}

/** Installs Alembic from Debian when it may (root with apt-get); returns why not otherwise. */
function ensureAlembic(): string | null {
  if (alembicAvailable()) return null;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    return 'Alembic is not installed and apt-get is unavailable (install python3-alembic and python3-psycopg2)';
  }
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'python3-alembic', 'python3-psycopg2'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0 && alembicAvailable() ? null : 'apt-get could not install python3-alembic and python3-psycopg2';
}

const ENV_PY = `from alembic import context
from sqlalchemy import create_engine

config = context.config
engine = create_engine(config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
`;

const pyString = (sql: string) => `"""${sql.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"')}"""`;
/** CREATE INDEX CONCURRENTLY cannot run in Alembic's transaction: Alembic's own way out is an autocommit block. */
const pyExecute = (sql: string) => (/\bCONCURRENTLY\b/.test(sql) ? `    with op.get_context().autocommit_block():\n        op.execute(${pyString(sql)})` : `    op.execute(${pyString(sql)})`);

async function writeAlembicProject(dir: string, migrations: GeneratedMigration[], url: string): Promise<string> {
  await mkdir(join(dir, 'alembic', 'versions'), { recursive: true });
  const sqlaUrl = url.replace(/^postgres(ql)?:/, 'postgresql+psycopg2:');
  await writeFile(join(dir, 'alembic.ini'), `[alembic]\nscript_location = ${join(dir, 'alembic')}\nsqlalchemy.url = ${sqlaUrl.replace(/%/g, '%%')}\n`);
  await writeFile(join(dir, 'alembic', 'env.py'), ENV_PY);
  for (const [i, m] of migrations.entries()) {
    const rev = `r${String(i + 1).padStart(5, '0')}`;
    const down = i === 0 ? 'None' : `'r${String(i).padStart(5, '0')}'`;
    await writeFile(join(dir, 'alembic', 'versions', `${rev}_${m.name}.py`),
      `from alembic import op\n\nrevision = '${rev}'\ndown_revision = ${down}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n${pyExecute(m.up)}\n\n\ndef downgrade():\n${pyExecute(m.down)}\n`);
  }
  return join(dir, 'alembic.ini');
}

/** B3: the B2 upgrade with Alembic (one revision per migration, same SQL), both as command-line processes. */
export async function benchAlembic(ctx: BenchContext): Promise<BenchResult[]> {
  const base = { id: 'B3', what: 'upgrade to head: godwit up vs alembic upgrade head, both as processes', unit: 'ms' as const, baselineName: 'Alembic (Debian python3-alembic), transaction per migration', target: 'Godwit faster' };
  const why = ensureAlembic();
  if (why) return [{ ...base, godwit: stats([0]), baseline: null, ratio: null, pass: null, skipped: why }];
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const migrations = generateMigrations(migrationCount(ctx));
    const project = await writeProject(join(ctx.tmp, 'b3-project'), migrations);
    const runs = ctx.quick ? 1 : 3;
    const godwit: number[] = [];
    const alembic: number[] = [];
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'godwit.cjs');
    for (let i = 0; i < runs; i++) {
      const url = await dbs.create('b3g');
      let t = performance.now();
      await runProcess(bin, ['--project', project, '--url', url, 'up', '--yes'], { env: { ...process.env, NO_COLOR: '1' } });
      godwit.push(performance.now() - t);
      const aurl = await dbs.create('b3a');
      const ini = await writeAlembicProject(join(ctx.tmp, `b3-alembic-${i}`), migrations, aurl);
      t = performance.now();
      await runProcess(SYSTEM_PYTHON, ['-m', 'alembic', '-c', ini, 'upgrade', 'head']);
      alembic.push(performance.now() - t);
      await dbs.dropAll();
    }
    const g = stats(godwit);
    const a = stats(alembic);
    return [{ ...base, godwit: g, baseline: a, ratio: g.median / a.median, pass: g.median < a.median, note: 'Process start-up included on both sides (Node + tsx, Python).' }];
  } finally {
    await dbs.dropAll();
  }
}
