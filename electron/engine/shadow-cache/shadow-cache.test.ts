import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigration, environmentStatus, generateDownSql, openProject, upgrade, type Db, type Environment, type OpenProject } from '../index.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { databasesLike, sqlOn } from '../testing/test-database.ts';
import { addEveryKind } from '../catalog/testing/every-kind.ts';
import { migrationList, projectFilter, withSchemaEngine } from '../schema-engine/engine-session.ts';
import { SHADOW_PREFIX } from '../schema-engine/pg-adapter-factory.ts';
import type { CatalogDriftReport } from '../status/detect-drift.ts';
import { shadowCacheName, withShadowCache } from './with-shadow-cache.ts';
import { evictCaches } from './cache-store.ts';
import pg from 'pg';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });

/** Runs `fn` with the cache switched off (GODWIT_SHADOW_CACHE=off): the plain full replay, the reference answer. */
async function uncached<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.GODWIT_SHADOW_CACHE;
  process.env.GODWIT_SHADOW_CACHE = 'off';
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.GODWIT_SHADOW_CACHE;
    else process.env.GODWIT_SHADOW_CACHE = saved;
  }
}

const HAND_CHANGES = `
ALTER TABLE "gadget" DROP CONSTRAINT "gadget_price_check", ADD CONSTRAINT "gadget_price_check" CHECK ("price" > 0);
CREATE OR REPLACE VIEW "cheap_gadgets" AS SELECT "id", "name" FROM "gadget" WHERE "price" < 20;
DROP TRIGGER "gadget_touch" ON "gadget";
COMMENT ON TABLE "gadget" IS 'Hotfixed';
CREATE TABLE "hotfix" ("id" INTEGER);
`;

const withoutCache = ({ cache: _c, ...rest }: { cache?: unknown }) => rest;

/** The demo project plus every catalog kind and one migration no other test has: its caches are this test's own. */
async function uniqueProject(dir: string, url: string): Promise<{ open: OpenProject; env: Environment; token: string }> {
  await addEveryKind(dir, { server: true });
  const token = randomBytes(5).toString('hex');
  await addMigration(dir, '20270101000000_unique', `CREATE TABLE "unique_${token}" ("id" INTEGER);\n`);
  return { token, ...(await projectOn(dir, url)) };
}

async function reopen(dir: string, url: string): Promise<{ open: OpenProject; env: Environment }> {
  return projectOn(dir, url);
}

/** A project at head on a fresh database with one model added to schema.prisma, and `new` (not written) for it. */
async function withModelAdded(model: string, table: string) {
  const { db, project } = fresh();
  const { open, env } = await uniqueProject(project.dir, db.url);
  await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
  const schemaFile = join(project.dir, 'prisma', 'schema.prisma');
  await writeFile(schemaFile, `${await readFile(schemaFile, 'utf8')}\nmodel ${model} {\n  id Int @id\n  @@map("${table}")\n}\n`);
  const { open: edited } = await reopen(project.dir, db.url);
  const make = () => onEnv(env, (conn) => createMigration(conn, edited.project, edited.folder, table.replace(/_/g, ' '), { write: false }));
  return { db, project, env, edited, make };
}

const driftOf = (open: OpenProject, env: Environment) => onEnv(env, async (conn) => (await environmentStatus(open, env, conn, { drift: true })).drift as CatalogDriftReport);

describe('shadow cache (PostgreSQL server)', () => {
  it('drift: a warm call is served by the cache and says so; reports match the full replay with and without drift', async () => {
    const { db, project } = fresh();
    const { open, env } = await uniqueProject(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    const name = await onEnv(env, (conn) => shadowCacheName(conn, open.project.shadowDbInitScript, open.folder.migrations));

    const reference = await uncached(() => driftOf(open, env));
    expect(reference).toMatchObject({ drifted: false, cache: 'off' });
    const cold = await driftOf(open, env);
    expect(cold.cache).toBe('miss');
    expect(await databasesLike(name!)).toEqual([name]);
    const warm = await driftOf(open, env);
    expect(warm.cache).toBe('hit');
    expect(withoutCache(cold)).toEqual(withoutCache(reference));
    expect(withoutCache(warm)).toEqual(withoutCache(reference));

    // The same with hand changes on the live database: every difference, and the reconcile SQL, as the full replay.
    await sqlOn(db.url, HAND_CHANGES);
    const drifted = await uncached(() => driftOf(open, env));
    expect(drifted.drifted).toBe(true);
    expect(drifted.differences.length).toBeGreaterThan(4);
    const cachedDrift = await driftOf(open, env);
    expect(cachedDrift.cache).toBe('hit');
    expect(withoutCache(cachedDrift)).toEqual(withoutCache(drifted));
    // Building caches leaves no temporary shadow of this process behind.
    expect(await databasesLike(`${SHADOW_PREFIX}${process.pid}_`)).toEqual([]);
  });

  it('keeps no cache database on a protected environment\'s server unless godwit.json asks for it', async () => {
    const { db, project } = fresh();
    const { open, env } = await uniqueProject(project.dir, db.url);
    const prod: Environment = { ...env, protected: true };
    await onEnv(prod, (conn) => upgrade({ db: conn, env: prod, folder: open.folder }, { confirm: prod.name }));
    const name = await onEnv(prod, (conn) => shadowCacheName(conn, open.project.shadowDbInitScript, open.folder.migrations));
    expect((await driftOf(open, prod)).cache).toBe('off');
    expect(await databasesLike(name!)).toEqual([]);
    // godwit.json's "shadowCache": true on the protected environment, or the same history unprotected, is cached.
    expect((await driftOf(open, { ...prod, shadowCache: true })).cache).toBe('miss');
    expect(await databasesLike(name!)).toEqual([name]);
    expect((await driftOf(open, env)).cache).toBe('hit');
  });

  it('an edited migration (same name, new checksum) and an added one each make a new cache with the right answer', async () => {
    const { db, project } = fresh();
    const { open, env, token } = await uniqueProject(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    expect((await driftOf(open, env)).cache).toMatch(/miss|hit/);
    expect((await driftOf(open, env)).cache).toBe('hit');

    // Edited after it was applied: the replay now differs from the live database, and the cache must see it.
    await writeFile(join(project.dir, 'migrations', '20270101000000_unique', 'migration.sql'), `CREATE TABLE "unique_${token}" ("id" INTEGER, "added" TEXT);\n`);
    const edited = await reopen(project.dir, db.url);
    const editedDrift = await driftOf(edited.open, edited.env);
    expect(editedDrift.cache).toBe('miss');
    expect(editedDrift.drifted).toBe(true);
    expect(editedDrift.differences.map((d) => [d.kind, d.name, d.live])).toContainEqual(['column', `public.unique_${token}.added`, null]);
    expect(withoutCache(editedDrift)).toEqual(withoutCache(await uncached(() => driftOf(edited.open, edited.env))));
    expect((await driftOf(edited.open, edited.env)).cache).toBe('hit');

    // Back as applied, then one more migration applied: a new state, built and then served.
    await writeFile(join(project.dir, 'migrations', '20270101000000_unique', 'migration.sql'), `CREATE TABLE "unique_${token}" ("id" INTEGER);\n`);
    await addMigration(project.dir, '20270101000100_added', `ALTER TABLE "unique_${token}" ADD COLUMN "note" TEXT;\n`);
    const added = await reopen(project.dir, db.url);
    await onEnv(added.env, (conn) => upgrade({ db: conn, env: added.env, folder: added.open.folder }, {}));
    const addedDrift = await driftOf(added.open, added.env);
    expect(addedDrift).toMatchObject({ drifted: false, differences: [], cache: 'miss' });
    expect((await driftOf(added.open, added.env)).cache).toBe('hit');
    // The added migration's down-sql is served from both caches (after: the head; before: the state just built on).
    const down = await onEnv(added.env, (conn) => generateDownSql(conn, added.open.project, added.open.folder, '20270101000100_added'));
    const downAgain = await onEnv(added.env, (conn) => generateDownSql(conn, added.open.project, added.open.folder, '20270101000100_added'));
    expect(downAgain.cache).toBe('hit');
    expect(down.sql).toMatch(/DROP COLUMN "note"/);
    const downRef = await uncached(() => onEnv(added.env, (conn) => generateDownSql(conn, added.open.project, added.open.folder, '20270101000100_added')));
    expect(downRef.cache).toBe('off');
    expect(down.sql).toBe(downRef.sql);
    expect(downAgain.sql).toBe(downRef.sql);
  });

  it('a cache with a wrong marker, one made writable and changed, or one dropped is rebuilt; the answer stays right', async () => {
    const { db, project } = fresh();
    const { open, env } = await uniqueProject(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await driftOf(open, env);
    const name = (await onEnv(env, (conn) => shadowCacheName(conn, open.project.shadowDbInitScript, open.folder.migrations)))!;
    const admin = (sql: string) => sqlOn(db.url, sql);

    await admin(`COMMENT ON DATABASE "${name}" IS '{"godwitShadowCache":1,"key":"${'0'.repeat(64)}","count":1,"usedAt":0}'`);
    expect(await driftOf(open, env)).toMatchObject({ drifted: false, differences: [], cache: 'miss' });
    expect((await driftOf(open, env)).cache).toBe('hit');

    // Someone lifted the read-only setting and added a table: not trusted, so not read (no false drift).
    await admin(`ALTER DATABASE "${name}" RESET default_transaction_read_only`);
    await sqlOn(db.url.replace(/\/[^/]*$/, `/${name}`), 'CREATE TABLE "planted" ("id" INTEGER)');
    expect(await driftOf(open, env)).toMatchObject({ drifted: false, differences: [], cache: 'miss' });

    await admin(`DROP DATABASE "${name}"`);
    expect(await driftOf(open, env)).toMatchObject({ drifted: false, differences: [], cache: 'miss' });
    expect((await driftOf(open, env)).cache).toBe('hit');
  });

  it('falls back to the full replay when the engine replays something other than the cached state', async () => {
    const { db, project } = fresh();
    const { open, env } = await uniqueProject(project.dir, db.url);
    const all = open.folder.migrations;
    const diffTo = (list: typeof all) => (conn: Db) => withSchemaEngine(conn, open.project, (engine) => engine.diff({
      from: { tag: 'empty' }, to: { tag: 'migrations', ...migrationList(open.project, open.folder, list) }, script: true, exitCode: null, filters: projectFilter(open.project),
    }));
    const cached = (plan: typeof all, replay: typeof all) => onEnv(env, (conn) => withShadowCache(conn, open.project.shadowDbInitScript, [plan], diffTo(replay)));
    const reference = await uncached(() => onEnv(env, diffTo(all)));
    const shorter = await uncached(() => onEnv(env, diffTo(all.slice(0, -1))));
    expect(reference.stdout).toContain('unique_');
    expect(shorter.stdout).not.toContain('unique_');
    // Both states cached by a first, matching call (kept from the engine's replay, or already there).
    for (const list of [all, all.slice(0, -1)]) {
      expect((await cached(list, list)).cache).toMatch(/miss|hit/);
      expect(await cached(list, list)).toEqual({ value: expect.objectContaining({ stdout: (list === all ? reference : shorter).stdout }), cache: 'hit' });
    }
    // The engine replays one script more than the cache holds: a fault, so the plain replay answers.
    expect(await cached(all.slice(0, -1), all)).toEqual({ value: expect.objectContaining({ stdout: reference.stdout }), cache: 'fallback' });
    // Or one fewer: the cached shadow would hold more than asked; a fault too.
    expect(await cached(all, all.slice(0, -1))).toEqual({ value: expect.objectContaining({ stdout: shorter.stdout }), cache: 'fallback' });
  });

  it('new: a warm call is served by the cache and writes what the full replay writes', async () => {
    const { db, project, env, make } = await withModelAdded('CacheNote', 'cache_notes');
    const reference = await uncached(make);
    const cold = await make();
    const warm = await make();
    expect([reference?.cache, cold?.cache, warm?.cache]).toEqual(['off', 'miss', 'hit']);
    for (const r of [cold, warm]) {
      expect(r?.upSql).toBe(reference?.upSql);
      expect(r?.downSql).toBe(reference?.downSql);
      expect(r?.warnings).toEqual(reference?.warnings);
    }
    expect(reference?.upSql).toContain('CREATE TABLE "cache_notes"');

    // A database behind the history: Prisma's diagnosis replays only what it applied, a state of its own, cached too.
    await addMigration(project.dir, '20270101000200_pending', 'CREATE TABLE "pending_one" ("id" INTEGER);\n');
    const { open: behind } = await reopen(project.dir, db.url);
    const makeBehind = () => onEnv(env, (conn) => createMigration(conn, behind.project, behind.folder, 'cache notes', { write: false }));
    const behindRef = await uncached(makeBehind);
    expect(behindRef?.warnings.join(' ')).toMatch(/data-loss check was skipped/);
    const [behindCold, behindWarm] = [await makeBehind(), await makeBehind()];
    expect([behindCold?.cache, behindWarm?.cache]).toEqual(['miss', 'hit']);
    for (const r of [behindCold, behindWarm]) expect({ up: r?.upSql, down: r?.downSql, w: r?.warnings }).toEqual({ up: behindRef?.upSql, down: behindRef?.downSql, w: behindRef?.warnings });
  });
  it('remembers the queries a cache was read with and sends them ahead; remembered reads that are wrong cost time, never the answer', async () => {
    const { db, env, edited, make } = await withModelAdded('AheadNote', 'ahead_notes');
    const answer = (r: Awaited<ReturnType<typeof make>>) => ({ up: r?.upSql, down: r?.downSql, warnings: r?.warnings, unexecutable: r?.unexecutable });
    const reference = answer(await uncached(make));
    expect(reference.up).toContain('CREATE TABLE "ahead_notes"');
    const name = (await onEnv(env, (conn) => shadowCacheName(conn, edited.project.shadowDbInitScript, edited.folder.migrations)))!;
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const marker = async () => JSON.parse((await admin.query<{ m: string }>(`SELECT shobj_description(oid, 'pg_database') AS m FROM pg_database WHERE datname = $1`, [name])).rows[0]!.m) as { reads?: { sql: string; args: unknown[] }[] };
      expect([(await make())?.cache, (await make())?.cache]).toEqual(['miss', 'hit']);
      // The hit read the cache: what it sent is remembered (the describing queries, information_schema's columns among them).
      const remembered = (await marker()).reads ?? [];
      expect(remembered.some((q) => /information_schema\.columns/.test(q.sql))).toBe(true);
      const ahead = await make();
      expect(ahead?.cache).toBe('hit');
      expect(answer(ahead)).toEqual(reference);

      // Remembered reads that fail, or that the engine never sends: sent ahead for nothing, the answer unchanged.
      const wrong = { ...(await marker()), reads: [{ sql: 'SELECT 1/0', args: [], argTypes: [] }, ...remembered.map((q) => ({ ...q, args: q.args.map(() => ['no_such_schema']) }))] };
      await admin.query(`COMMENT ON DATABASE "${name}" IS '${JSON.stringify(wrong).replace(/'/g, "''")}'`);
      const despite = await make();
      expect(despite?.cache).toBe('hit');
      expect(answer(despite)).toEqual(reference);
      // And the marker remembers what the engine did send.
      expect((await marker()).reads?.some((q) => q.sql === 'SELECT 1/0')).toBe(false);
    } finally {
      await admin.end();
    }
  });
});

describe('shadow cache bound', () => {
  it('eviction drops the least recently used caches beyond the limit, never one this call uses', async () => {
    const { db, project } = fresh();
    const { open, env } = await uniqueProject(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await driftOf(open, env);
    const older = (await onEnv(env, (conn) => shadowCacheName(conn, open.project.shadowDbInitScript, open.folder.migrations)))!;
    await addMigration(project.dir, '20270101000100_more', 'CREATE TABLE "more" ("id" INTEGER);\n');
    const more = await reopen(project.dir, db.url);
    await onEnv(more.env, (conn) => upgrade({ db: conn, env: more.env, folder: more.open.folder }, {}));
    expect((await driftOf(more.open, more.env)).cache).toBe('miss');
    const newer = (await onEnv(more.env, (conn) => shadowCacheName(conn, more.open.project.shadowDbInitScript, more.open.folder.migrations)))!;
    expect(await databasesLike(older)).toEqual([older]);
    // Make the older one the least recently used of all, then bound the role's caches to one.
    const [marker] = await sqlOn<{ m: string }>(db.url, `SELECT shobj_description(oid, 'pg_database') AS m FROM pg_database WHERE datname = $1`, [older]);
    await sqlOn(db.url, `COMMENT ON DATABASE "${older}" IS '${JSON.stringify({ ...JSON.parse(marker!.m), usedAt: 0 }).replace(/'/g, "''")}'`);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const dropped = await evictCaches(admin, 1, new Set([newer]), 0);
      expect(dropped).toContain(older);
      expect(dropped).not.toContain(newer);
    } finally {
      await admin.end();
    }
    expect(await databasesLike(older)).toEqual([]);
    expect(await databasesLike(newer)).toEqual([newer]);
    expect((await driftOf(more.open, more.env)).cache).toBe('hit');
  });
});

describe('shadow cache (PGlite)', () => {
  it('is off: an embedded database replays in memory as before', async () => {
    const { project } = fresh();
    const open = await openProject(project.dir);
    const env: Environment = { name: 'dev', protected: false, display: 'memory', target: { kind: 'embedded', name: 'mem', dataDir: 'memory://' } };
    await onEnv(env, async (conn) => {
      await upgrade({ db: conn, env, folder: open.folder }, {});
      expect((await environmentStatus(open, env, conn, { drift: true })).drift).toMatchObject({ drifted: false, cache: 'off' });
    });
  });
});
