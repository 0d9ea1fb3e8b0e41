import { join } from 'node:path';
import pg from 'pg';
import { BenchDatabases } from '../databases.ts';
import { alternate, runProcess, stats, timeProcess, type BenchContext, type BenchResult } from '../harness.ts';
import { writeProject } from '../workloads/generate-project.ts';
import { GODWIT_BIN } from './status-and-upgrade.ts';
import { serverFloorMs } from './server-floor.ts';

const CREATE = { name: '20200101000000_create_patients', up: 'CREATE TABLE "patients" ("id" BIGINT NOT NULL, "phone_number" TEXT, CONSTRAINT "patients_pkey" PRIMARY KEY ("id"));', down: 'DROP TABLE "patients";' };
const DROP = { name: '20200102000000_drop_phone_number', up: 'ALTER TABLE "patients" DROP COLUMN "phone_number";', down: 'ALTER TABLE "patients" ADD COLUMN "phone_number" TEXT;' };

async function fill(url: string, rows: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`INSERT INTO "patients" SELECT g, '+1-555-' || lpad(g::text, 8, '0') FROM generate_series(1, ${rows}) g`);
    await c.query('ANALYZE "patients"');
  } finally {
    await c.end();
  }
}

/**
 * B9: what the backup of a dropped column costs (engine/backup). The same `godwit up` of one DROP COLUMN migration on a
 * table of N rows (1,000,000; 10,000 at --quick), whole processes, with the backup (the default) and with
 * --no-backup, alternating, a fresh database each run; and the migration's own server time (a catalog change).
 */
export async function benchBackupCost(ctx: BenchContext): Promise<BenchResult[]> {
  const rows = ctx.quick ? 10_000 : 1_000_000;
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const dir = await writeProject(join(ctx.tmp, 'b9'), [CREATE, DROP]);
    const godwit = (url: string, extra: string[]) => ['--project', dir, '--url', url, ...extra];
    let url = '';
    const prepare = async () => {
      await dbs.dropAll();
      url = await dbs.create('b9');
      await runProcess(GODWIT_BIN, godwit(url, ['up', '--yes', '--to', CREATE.name]));
      await fill(url, rows);
    };
    const samples = await alternate(ctx.quick ? 3 : 5, {
      withBackup: { prepare, run: () => timeProcess(GODWIT_BIN, godwit(url, ['up', '--yes'])) },
      noBackup: { prepare, run: () => timeProcess(GODWIT_BIN, godwit(url, ['up', '--yes', '--no-backup'])) },
      own: { prepare, run: () => serverFloorMs(url, [DROP.up], 'on') },
    });
    const withB = stats(samples.withBackup);
    const without = stats(samples.noBackup);
    const own = stats(samples.own).median;
    const extra = withB.median - without.median;
    return [{
      id: 'B9',
      what: `godwit up of a DROP COLUMN on ${rows.toLocaleString('en-US')} rows, with its backup vs --no-backup`,
      unit: 'ms',
      godwit: withB,
      baseline: without,
      baselineName: 'the same command with --no-backup',
      ratio: withB.median / without.median,
      target: 'reported',
      pass: null,
      floor: { ms: own, ratio: withB.median / own },
      note: `The backup adds ${extra.toFixed(0)} ms to the whole command; the migration's own server time is ${own.toFixed(1)} ms (a catalog change), so the backup costs ${(extra / own).toFixed(0)}× the migration itself.`,
    }];
  } finally {
    await dbs.dropAll();
  }
}
