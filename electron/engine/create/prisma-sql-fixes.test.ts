import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDownSql, upgrade } from '../index.ts';
import { addMigration, onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn } from '../testing/test-database.ts';
import { mendPrismaSql } from './prisma-sql-fixes.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });

describe("mending Prisma's SQL", () => {
  it('drops ASC/DESC from index methods that have no order, and leaves everything else as written', () => {
    expect(mendPrismaSql('CREATE INDEX "t_key_idx" ON "public"."t" USING HASH ("key" ASC);')).toBe('CREATE INDEX "t_key_idx" ON "public"."t" USING HASH ("key");');
    expect(mendPrismaSql('CREATE INDEX "g" ON "t" USING GIN ("tags" ASC, "ASC" DESC) WHERE x;')).toBe('CREATE INDEX "g" ON "t" USING GIN ("tags", "ASC") WHERE x;');
    const btree = 'CREATE INDEX "b" ON "t"("a" ASC, "b" DESC);\nCREATE INDEX "c" ON "t" USING BTREE ("a" DESC);';
    expect(mendPrismaSql(btree)).toBe(btree);
  });

  it('down-sql of a migration dropping a hash index writes SQL PostgreSQL runs', async () => {
    const { db, project } = fresh();
    await addMigration(project.dir, '20990101000000_hash', 'CREATE TABLE "t" ("id" INT PRIMARY KEY, "key" TEXT);\nCREATE INDEX "t_key_idx" ON "t" USING HASH ("key");\n');
    await addMigration(project.dir, '20990102000000_unhash', 'DROP INDEX "t_key_idx";\n');
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    const down = await onEnv(env, (conn) => generateDownSql(conn, open.project, open.folder, '20990102000000_unhash'));
    expect(down.sql).toContain('USING HASH ("key");');
    await sqlOn(db.url, down.sql);
    expect(await sqlOn(db.url, `SELECT indexdef FROM pg_indexes WHERE indexname = 't_key_idx'`)).toEqual([{ indexdef: expect.stringContaining('USING hash (key)') }]);
  });
});
