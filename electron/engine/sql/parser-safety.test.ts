import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GodwitError, previewSql, upgrade, type Environment } from '../index.ts';
import { previewDto } from '../service/to-dto.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { onEnv, projectOn } from '../testing/fixtures.ts';

// The parser's safety signals reaching what runs on real PostgreSQL: a project of its own, one fresh database each.
let db: TestDatabase;
let dir: string;
beforeEach(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'godwit-parser-'));
  await mkdir(join(dir, 'prisma', 'migrations'), { recursive: true });
  await writeFile(join(dir, 'prisma', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
  await writeFile(join(dir, 'prisma', 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
});
afterEach(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function migrations(...scripts: string[]): Promise<void> {
  for (const [i, sql] of scripts.entries()) {
    const name = `2024010100000${i}_m${i}`;
    await mkdir(join(dir, 'prisma', 'migrations', name));
    await writeFile(join(dir, 'prisma', 'migrations', name, 'migration.sql'), sql);
  }
}

const tables = async () => (await sqlOn<{ t: string }>(db.url, "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => r.t);

describe("scripts with the text 'ERROR'", () => {
  it('runs CREATE INDEX CONCURRENTLY ... WHERE s = \'ERROR\' outside a transaction, as PostgreSQL requires', async () => {
    await migrations(
      `CREATE TYPE "S" AS ENUM ('OK','ERROR');\nCREATE TABLE "A" ("s" "S");`,
      `CREATE INDEX CONCURRENTLY "i" ON "A"("s") WHERE "s"='ERROR';`,
    );
    const { open, env } = await projectOn(dir, db.url);
    const report = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    expect(report.completed).toHaveLength(2);
    expect(await sqlOn(db.url, `SELECT indexdef FROM pg_indexes WHERE indexname = 'i'`)).toEqual([
      { indexdef: `CREATE INDEX i ON public."A" USING btree (s) WHERE (s = 'ERROR'::"S")` },
    ]);
  });

  it('previews the DROP TABLE after an enum with an ERROR value', async () => {
    await migrations(`CREATE TABLE "A" ("id" int);`, `CREATE TYPE "S" AS ENUM ('OK','ERROR');\nDROP TABLE "A";`);
    const { open, env } = await projectOn(dir, db.url);
    const { plan, sql } = await onEnv(env, (conn) => previewSql(open, env, conn, { direction: 'up' }));
    expect(sql).toContain('-- WARNING (line 2): DROP TABLE — DROP TABLE "A"\n');
    expect(sql).not.toContain('parser refused');
    expect(previewDto(plan).steps.map((s) => s.unanalysed)).toEqual([false, false]);
  });
});

describe('a script the parser cannot analyse', () => {
  // A NUL would end the parser's C string: the DROP TABLE after it would go unseen, so the script is unanalysed.
  const unanalysable = `CREATE TABLE "B" ("id" int);\n-- \u0000\nDROP TABLE "A";`;

  it('is marked unanalysed in the preview, said in one line', async () => {
    await migrations(`CREATE TABLE "A" ("id" int);`, `CREATE TABL "B" (${"'x',".repeat(2000)} 1);`);
    const { open, env } = await projectOn(dir, db.url);
    const { plan, sql } = await onEnv(env, (conn) => previewSql(open, env, conn, { direction: 'up' }));
    const notes = sql.split('\n').filter((l) => l.includes('parser refused'));
    expect(notes).toEqual(['-- Note: the SQL parser refused this script (syntax error at or near "TABL" (line 1)); it is sent whole.']);
    const dto = previewDto(plan);
    expect(dto.steps.map((s) => [s.unanalysed, s.parseError])).toEqual([[false, null], [true, 'syntax error at or near "TABL" (line 1)']]);
  });

  it('needs the typed environment name to run, even where the environment is not protected', async () => {
    await migrations(`CREATE TABLE "A" ("id" int);`, unanalysable);
    const { open, env } = await projectOn(dir, db.url);
    expect(env.protected).toBe(false);
    const refused = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {})).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GodwitError);
    expect((refused as GodwitError).code).toBe('confirmation-required');
    expect((refused as GodwitError).message).toBe(
      `20240101000001_m1/migration.sql could not be analysed by the SQL parser (the script contains a NUL character (line 2)): to run it on ${env.name}, confirm with the environment's name.`,
    );
    expect(await tables()).toEqual([]);

    const wrong = await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { confirm: 'prod' })).catch((e: unknown) => e);
    expect((wrong as GodwitError).code).toBe('confirmation-required');
    expect(await tables()).toEqual([]);
  });

  it('runs once the name is typed, on an unprotected and on a protected environment', async () => {
    await migrations(`CREATE TABLE "A" ("id" int);`, `CREATE TABL "B" ("id" int);`);
    const { open, env } = await projectOn(dir, db.url);
    const to = '20240101000000_m0';
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, { to }));
    for (const target of [env, { ...env, protected: true } satisfies Environment]) {
      // The name typed: the run proceeds, and PostgreSQL itself refuses the script (rolled back, as ever).
      const failed = await onEnv(target, (conn) => upgrade({ db: conn, env: target, folder: open.folder }, { confirm: target.name })).catch((e: unknown) => e);
      expect((failed as Error).message).toMatch(/syntax error at or near "TABL"/);
      expect(await tables()).toEqual(['A', '_prisma_migrations']);
      await sqlOn(db.url, `DELETE FROM _prisma_migrations WHERE finished_at IS NULL`);
    }
  });
});
