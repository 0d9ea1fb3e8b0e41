import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upgrade } from '../index.ts';
import { connectPglite } from '../db/connect-pglite.ts';
import { onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { readCatalog } from './read-catalog.ts';
import { diffCatalogs } from './diff-catalogs.ts';
import { addEveryKind, EVERY_KIND } from './testing/every-kind.ts';
import { CATALOG_KINDS } from './types.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });

describe('catalog snapshot', () => {
  it('reads one object of every kind, and PostgreSQL 15 and PGlite (18) on the same history have the same schema', async () => {
    const { db, project } = fresh();
    await addEveryKind(project.dir, { server: false });
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    const server = await onEnv(env, (conn) => readCatalog(conn));

    const lite = await connectPglite('memory://', 'memory');
    try {
      await upgrade({ db: lite, env: { ...env, name: 'lite', display: 'memory' }, folder: open.folder }, {});
      const embedded = await readCatalog(lite);
      expect(diffCatalogs(server, embedded)).toEqual([]);
    } finally {
      await lite.close();
    }
    const kinds = new Set([...server.objects.values()].map((o) => o.kind));
    for (const m of EVERY_KIND.filter((k) => !k.serverOnly)) expect(kinds, m.kind).toContain(m.kind);
    expect(CATALOG_KINDS.filter((k) => !kinds.has(k))).toEqual(['grant']);
    // Prisma's history table is bookkeeping, not schema.
    expect([...server.objects.keys()].some((k) => k.includes('_prisma_migrations'))).toBe(false);
  });
});
