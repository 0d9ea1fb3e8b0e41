import pg from 'pg';
import { clearCaches } from '../shadow-cache/cache-store.ts';
import { testServerUrl } from './test-database.ts';

/**
 * Vitest's global setup: after the whole run, the shadow caches the tests' drift, down-sql and new kept on the test
 * server are dropped (the suite leaves no database behind). Only when the server is reachable.
 */
export async function teardown(): Promise<void> {
  const admin = new pg.Client({ connectionString: testServerUrl() });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
    await clearCaches(admin);
  } catch {
    // No server (a unit-only run): nothing was cached.
  } finally {
    await admin.end().catch(() => undefined);
  }
}
