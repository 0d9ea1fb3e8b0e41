import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigration, GodwitError, upgrade, withEnvironment, type Environment } from '../index.ts';
import { createTestDatabase, databasesLike, type TestDatabase } from '../testing/test-database.ts';
import { checkProject, pgliteEnv, postgresEnv } from './testing/check-project.ts';
import { panicOnShadowDescribe } from './testing/engine-faults.ts';
import { SHADOW_PREFIX } from './pg-adapter-factory.ts';
import { loadSchemaEngineWasm } from './load-wasm.ts';

const OURS = `${SHADOW_PREFIX}${process.pid}_`;
let undoFault: (() => void) | undefined;
let project: Awaited<ReturnType<typeof checkProject>>;
beforeEach(async () => {
  project = await checkProject();
});
afterEach(async () => {
  undoFault?.();
  undoFault = undefined;
  await project.remove();
});

/** With a panic injected: one line, the instance discarded; without it, the same call on the same session works. */
async function panicsThenRecovers(env: Environment): Promise<void> {
  const open = await project.open();
  await withEnvironment(env, async (db) => {
    await upgrade({ db, env, folder: open.folder }, {});
    const crashed = await loadSchemaEngineWasm();
    undoFault = panicOnShadowDescribe();
    const err = await createMigration(db, open.project, open.folder, 'add_b', { write: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GodwitError);
    expect((err as GodwitError).code).toBe('schema-engine-panic');
    expect((err as GodwitError).message).toMatch(/^Could not run Prisma's schema engine: the engine crashed \(Getting constraint_type .* as char failed, at .*postgres\.rs.*\)\.$/);
    expect((err as GodwitError).message).not.toContain('\n');
    expect(crashed.broken).toBe(true);
    undoFault();
    undoFault = undefined;

    const created = await createMigration(db, open.project, open.folder, 'add_b', { write: false });
    expect(created?.upSql).toContain('CREATE TABLE "B"');
    expect(await loadSchemaEngineWasm()).not.toBe(crashed);
  });
}

describe('a panic inside the schema engine', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('on PostgreSQL: becomes one line, its shadow database is dropped, and a fresh engine serves the next call', async () => {
    const before = await databasesLike(OURS);
    await panicsThenRecovers(postgresEnv(db.url));
    expect(await databasesLike(OURS)).toEqual(before);
  });

  it('on PGlite: the same, and the embedded database stays usable', async () => {
    await panicsThenRecovers(pgliteEnv());
  }, 300_000);
});
