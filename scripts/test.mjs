#!/usr/bin/env node
// `npm test`: finds or starts a PostgreSQL server for the tests, then runs them.
// Order: $GODWIT_TEST_DATABASE_URL; the server on 127.0.0.1:5432; a local cluster started from installed binaries;
// Debian's postgresql installed with apt (as root). Anything else stops with one sentence saying what is missing.
import { spawnSync } from 'node:child_process';
import { ensurePostgres } from './ensure-postgres.mjs';

const extra = process.argv.slice(2);
let url;
try {
  url = await ensurePostgres();
} catch (err) {
  console.error(`npm test: ${err.message}`);
  process.exit(2);
}
console.error(`npm test: PostgreSQL for the tests: ${url.replace(/:[^:@/]*@/, ':****@')}`);
const env = { ...process.env, GODWIT_TEST_DATABASE_URL: url };
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...extra], { stdio: 'inherit', env });
process.exit(vitest.status ?? 1);
