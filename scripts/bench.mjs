#!/usr/bin/env node
// `npm run bench`: installs dependencies if needed, finds or starts PostgreSQL, then runs bench/run.ts.
import { spawnSync } from 'node:child_process';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
const { ensurePostgres } = await import('./ensure-postgres.mjs');
let url;
try {
  url = await ensurePostgres();
} catch (err) {
  console.error(`npm run bench: ${err.message}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, GODWIT_TEST_DATABASE_URL: url } });
process.exit(r.status ?? 1);
