import pg from 'pg';
import { connectPostgres } from '../../electron/engine/db/connect-postgres.ts';
import { describeRelations, listRelations, renderDescribe, renderListing } from '../../electron/engine/index.ts';
import { BenchDatabases } from '../databases.ts';
import { measure, ratioResult, runProcess, stats, type BenchContext, type BenchResult } from '../harness.ts';
import { manyTablesSql } from '../workloads/many-tables.ts';

/** B5: `tables` and `describe` on a 5,000-table schema, in-process, against psql -c '\dt' and '\d <table>'. */
export async function benchIntrospection(ctx: BenchContext): Promise<BenchResult[]> {
  const dbs = new BenchDatabases(ctx.serverUrl);
  const count = ctx.quick ? 60 : 5000;
  try {
    const url = await dbs.create('b5');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const batch of manyTablesSql(count)) await c.query(batch);
    await c.end();
    const db = await connectPostgres({ url });
    const target = `wide_t${Math.ceil(count / 2)}`;
    try {
      const runs = ctx.quick ? 3 : 10;
      const list = async () => void renderListing(await listRelations(db, { kinds: ['tables'] }), {});
      const describe = async () => void (await describeRelations(db, target)).map((d) => renderDescribe(d, false));
      await list();
      await describe();
      const godwitList = stats(await measure(runs, list));
      const godwitDescribe = stats(await measure(runs, describe));
      const psqlList = stats(await measure(runs, () => runProcess('psql', ['-X', '-d', url, '-c', '\\dt']).then(() => undefined)));
      const psqlDescribe = stats(await measure(runs, () => runProcess('psql', ['-X', '-d', url, '-c', `\\d ${target}`]).then(() => undefined)));
      const note = 'Godwit in-process on an open connection; psql as a process (its start-up and connection included).';
      return [
        ratioResult({ id: 'B5a', what: `tables (\\dt) on ${count} tables`, unit: 'ms', godwit: godwitList, baseline: psqlList, baselineName: "psql -c '\\dt'", target: '≤ 1.5×', note }, (r) => r <= 1.5),
        ratioResult({ id: 'B5b', what: `describe (\\d) of one table among ${count}`, unit: 'ms', godwit: godwitDescribe, baseline: psqlDescribe, baselineName: "psql -c '\\d <table>'", target: '≤ 1.5×', note }, (r) => r <= 1.5),
      ];
    } finally {
      await db.close();
    }
  } finally {
    await dbs.dropAll();
  }
}
