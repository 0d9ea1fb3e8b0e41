import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGodwit } from './testing/run-cli.ts';
import { RecordedRuns } from './testing/recorded-runs.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { connectPostgres } from '../engine/db/connect-postgres.ts';
import { mayHavePending } from '../engine/history/history-table.ts';
import { readMigrationsFolder } from '../engine/migrations/read-folder.ts';
import { DEMO_PROJECT_DIR } from '../engine/demo/open-demo.ts';

/** Notes, as the process exits, whether it loaded libpg-query (the SQL parser's WebAssembly). Loaded with --require. */
const RECORDER = `
const Module = require('node:module'), fs = require('node:fs');
let parser = false;
const load = Module._load;
Module._load = function (request, ...rest) { if (request === 'libpg-query') parser = true; return load.call(this, request, ...rest); };
process.on('exit', () => fs.writeFileSync(process.env.GODWIT_RECORD + '.' + process.pid, JSON.stringify(parser)));
`;

// `up` loads the SQL parser (~40 ms of CPU) only when it may have steps: a deploy at head never does
// (apply/run-plan.ts, history/history-table.ts mayHavePending).
describe('up loads the SQL parser only when something may be pending', () => {
  let recorded: RecordedRuns<boolean>;
  let db: TestDatabase;
  beforeAll(async () => {
    recorded = new RecordedRuns(RECORDER);
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    recorded?.remove();
  });

  async function run(...args: string[]) {
    const r = await recorded.run(['--url', db.url, ...args]);
    return { ...r, parser: r.seen };
  }

  it('applies with the parser, finds nothing to apply without it, and loads it again when one is pending', async () => {
    const first = await run('up', '--yes');
    expect(first.code).toBe(0);
    expect(first.parser).toBe(true);

    const atHead = await run('up', '--yes');
    expect(atHead.code).toBe(0);
    expect(atHead.stdout).toContain('Nothing to apply');
    expect(atHead.parser).toBe(false);

    const down = await run('down', '--yes');
    expect(down.code).toBe(0);
    const again = await run('up', '--yes');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 migration(s) applied');
    expect(again.parser).toBe(true);
  }, 120_000);

  it('mayHavePending: yes without a history, with the newest or any migration missing; no at head', async () => {
    const folder = await readMigrationsFolder(join(DEMO_PROJECT_DIR, 'migrations'), DEMO_PROJECT_DIR);
    expect(folder.migrations.length).toBeGreaterThan(2);
    const fresh = await createTestDatabase();
    const conn = await connectPostgres({ url: fresh.url });
    try {
      expect(await mayHavePending(conn, folder)).toBe(true); // no _prisma_migrations yet
      await runGodwit(['--url', fresh.url, 'up', '--yes']);
      expect(await mayHavePending(conn, folder)).toBe(false);
      const newest = folder.migrations.at(-1)!.name;
      await sqlOn(fresh.url, 'UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1', [newest]);
      expect(await mayHavePending(conn, folder)).toBe(true);
      await sqlOn(fresh.url, 'UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = $1', [newest]);
      await sqlOn(fresh.url, 'UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1', [folder.migrations[0]!.name]);
      expect(await mayHavePending(conn, folder)).toBe(true);
      expect(await mayHavePending(conn, { ...folder, migrations: [] })).toBe(false);
    } finally {
      await conn.close();
      await fresh.drop();
    }
  }, 120_000);
});
