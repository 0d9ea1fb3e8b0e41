import pg from 'pg';

/**
 * PostgreSQL's own execution time for running `scripts` in order, each in its own transaction (a script PostgreSQL
 * refuses inside one, such as CREATE INDEX CONCURRENTLY, on its own): the floor no client can go below. Each script
 * goes in one message between two clock_timestamp() readings taken by the server, so neither the network, nor the
 * client, nor process start-up is counted. Portable: no server log or extension needed (log_min_duration_statement
 * would need the log file; pg_stat_statements, shared_preload_libraries).
 */
export async function serverFloorMs(url: string, scripts: string[], synchronousCommit: 'on' | 'off'): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET synchronous_commit = ${synchronousCommit}`);
    let total = 0;
    const now = async () => Number((await c.query('SELECT extract(epoch FROM clock_timestamp()) AS t')).rows[0].t);
    for (const sql of scripts) {
      if (/\bCONCURRENTLY\b/i.test(sql)) {
        // Refused inside any transaction block, a multi-statement message's implicit one included: its own message,
        // so two local round trips (~0.1 ms) are counted in the floor for these few files.
        const t0 = await now();
        await c.query(sql);
        total += ((await now()) - t0) * 1000;
        continue;
      }
      // One message with the readings as its first and last rows: no round trip is counted.
      const results = (await c.query(`SELECT extract(epoch FROM clock_timestamp()) AS t;\nBEGIN;\n${sql}\n;COMMIT;\nSELECT extract(epoch FROM clock_timestamp()) AS t;`)) as unknown as pg.QueryResult[];
      total += (Number(results[results.length - 1]!.rows[0].t) - Number(results[0]!.rows[0].t)) * 1000;
    }
    return total;
  } finally {
    await c.end();
  }
}
