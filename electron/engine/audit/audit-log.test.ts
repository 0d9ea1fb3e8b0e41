import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { DEMO_COUNT, onEnv, projectOn } from '../testing/fixtures.ts';
import { DEMO_PROJECT_DIR } from '../demo/open-demo.ts';
import { readAudit, upgrade } from '../index.ts';
import { auditFilePath } from './audit-log.ts';

let db: TestDatabase;
let dataDir: string;
const previous = process.env.GODWIT_DATA_DIR;
beforeEach(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(`${tmpdir()}/godwit-audit-`);
  process.env.GODWIT_DATA_DIR = dataDir;
});
afterEach(async () => {
  process.env.GODWIT_DATA_DIR = previous;
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('audit trail', () => {
  it('falls back to a local file when the role may not create the godwit schema, and log reads it back', async () => {
    const role = `godwit_nocreate_${db.name.slice(-6)}`;
    await sqlOn(db.url, `CREATE ROLE ${role} LOGIN; GRANT CREATE ON SCHEMA public TO ${role}; REVOKE CREATE ON DATABASE "${db.name}" FROM PUBLIC;`);
    try {
      const url = db.url.replace('postgres@', `${role}@`);
      const { open, env } = await projectOn(DEMO_PROJECT_DIR, url);
      await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
      expect(await sqlOn(db.url, "SELECT to_regnamespace('godwit')::text AS s")).toEqual([{ s: null }]);
      const file = await readFile(auditFilePath(env.display), 'utf8');
      expect(file).toContain('"action":"up"');
      expect(file).not.toContain('password');
      const entries = await onEnv(env, (conn) => readAudit(conn));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'up', result: 'ok', store: 'file' });
      expect(entries[0]!.migrations).toHaveLength(DEMO_COUNT);
    } finally {
      await sqlOn(db.url, `DROP OWNED BY ${role}; DROP ROLE ${role};`);
    }
  });
});
