#!/usr/bin/env node
// `npm test`: installs dependencies if needed, type-checks, finds or starts PostgreSQL and Chromium, then runs every
// test (unit, integration against PostgreSQL and PGlite, e2e in Chromium, and the benchmarks at --quick sizes).
// PostgreSQL, in order: $GODWIT_TEST_DATABASE_URL; the server on 127.0.0.1:5432; installed clusters started with
// pg_ctlcluster; Debian's postgresql installed with apt-get (as root). Otherwise one sentence says what is missing.
import { spawnSync } from 'node:child_process';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
const { ensurePostgres } = await import('./ensure-postgres.mjs');
const extra = process.argv.slice(2);

if (!extra.length) {
  for (const config of ['tsconfig.node.json', 'tsconfig.web.json']) {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', config, '--noEmit'], { stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.error(`npm test: the type check (${config}) failed.`);
      process.exit(1);
    }
  }
}
const { ensureChromium } = await import('./ensure-chromium.mjs');
const { ensureSshd } = await import('./ensure-sshd.mjs');
let url;
try {
  url = await ensurePostgres();
  ensureChromium();
  ensureSshd();
} catch (err) {
  console.error(`npm test: ${err.message}`);
  process.exit(2);
}
console.error(`npm test: PostgreSQL for the tests: ${url.replace(/:[^:@/]*@/, ':****@')}`);
const env = { ...process.env, GODWIT_TEST_DATABASE_URL: url };
const vitestRun = (args) => spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], { stdio: 'inherit', env }).status ?? 1;
if (extra.length) process.exit(vitestRun(extra));
// The benchmarks compare timed ratios: they run alone, after the rest, so two test files at a time do not load them.
const rest = vitestRun(['--exclude', 'bench/**']);
const bench = vitestRun(['bench/']);
process.exit(rest || bench);
