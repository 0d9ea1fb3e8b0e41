// Finds or starts the PostgreSQL server the tests and benchmarks need, and makes sure pg_dump and psql exist.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function installedClusters() {
  if (!existsSync('/etc/postgresql')) return [];
  return readdirSync('/etc/postgresql').flatMap((v) => (existsSync(`/etc/postgresql/${v}`) ? readdirSync(`/etc/postgresql/${v}`).map((c) => [v, c]) : []));
}

function startClusters() {
  for (const [version, cluster] of installedClusters()) {
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'start'], { stdio: 'ignore' });
  }
}

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(url)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function aptInstall(packages) {
  console.error(`npm test: installing ${packages.join(' ')} with apt-get…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Returns a URL of a reachable server with a superuser; throws one clear sentence otherwise. */
export async function ensurePostgres() {
  const explicit = process.env.GODWIT_TEST_DATABASE_URL;
  if (explicit) {
    if (await reachable(explicit)) return ensureClients(explicit);
    throw new Error('GODWIT_TEST_DATABASE_URL is set but that server does not answer.');
  }
  if (await reachable(DEFAULT_URL)) return ensureClients(DEFAULT_URL);
  if (installedClusters().length && has('pg_ctlcluster')) {
    startClusters();
    if (await waitFor(DEFAULT_URL, 20)) return ensureClients(DEFAULT_URL);
  }
  if (isRoot() && has('apt-get')) {
    aptInstall(['postgresql']);
    startClusters();
    if (await waitFor(DEFAULT_URL, 30)) return ensureClients(DEFAULT_URL);
    throw new Error('installed Debian\'s postgresql, but no server answers on 127.0.0.1:5432 as user postgres.');
  }
  throw new Error('no PostgreSQL server answers on 127.0.0.1:5432; start one (user postgres, trust auth on 127.0.0.1), set GODWIT_TEST_DATABASE_URL, or run as root so Debian\'s postgresql can be installed.');
}

function ensureClients(url) {
  if (has('pg_dump') && has('psql')) return url;
  if (isRoot() && has('apt-get')) {
    aptInstall(['postgresql-client']);
    return url;
  }
  throw new Error('the tests need pg_dump and psql; install Debian\'s postgresql-client.');
}
