import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentStatus, openProject, upgrade, type Environment } from '../index.ts';
import { onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn } from '../testing/test-database.ts';
import { addEveryKind } from '../catalog/testing/every-kind.ts';
import type { CatalogDriftReport } from './detect-drift.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });

/** One hand change per kind, as a hotfix on a live database would make it. */
const HAND_CHANGES = `
CREATE SCHEMA "hotfix";
DROP EXTENSION "pg_trgm";
ALTER DOMAIN "extra"."positive_int" DROP NOT NULL;
ALTER TYPE "money_pair" ADD ATTRIBUTE "rate" NUMERIC;
ALTER SEQUENCE "ticket_seq" INCREMENT 10;
ALTER TABLE "gadget" DROP CONSTRAINT "gadget_price_check", ADD CONSTRAINT "gadget_price_check" CHECK ("price" > 0);
ALTER TABLE "gadget" DROP CONSTRAINT "gadget_during_excl";
ALTER TABLE "gadget" DROP CONSTRAINT "gadget_name_key", ADD CONSTRAINT "gadget_name_key" UNIQUE ("name");
DROP INDEX "gadget_cheap_idx"; CREATE INDEX "gadget_cheap_idx" ON "gadget" ("price") WHERE "price" < 5;
CREATE OR REPLACE VIEW "cheap_gadgets" AS SELECT "id", "name" FROM "gadget" WHERE "price" < 20;
DROP MATERIALIZED VIEW "gadget_count"; CREATE MATERIALIZED VIEW "gadget_count" AS SELECT count(*) AS "n", max("price") AS "top" FROM "gadget";
CREATE OR REPLACE FUNCTION "touch_gadget"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW."name" := lower(NEW."name"); RETURN NEW; END $$;
DROP PROCEDURE "reprice"(INTEGER);
DROP TRIGGER "gadget_touch" ON "gadget"; CREATE TRIGGER "gadget_touch" BEFORE INSERT ON "gadget" FOR EACH ROW EXECUTE FUNCTION "touch_gadget"();
ALTER TABLE "gadget" FORCE ROW LEVEL SECURITY;
DROP POLICY "gadget_read" ON "gadget"; CREATE POLICY "gadget_read" ON "gadget" FOR SELECT USING ("price" > 0);
COMMENT ON TABLE "gadget" IS 'Hotfixed';
DROP RULE "gadget_keep_negative" ON "gadget";
ALTER EVENT TRIGGER "ek_note_ddl" DISABLE;
ALTER SERVER "ek_server" OPTIONS (SET host 'warehouse-2.internal');
ALTER FOREIGN TABLE "remote_stock" ADD COLUMN "bin" TEXT;
ALTER PUBLICATION "gadget_changes" SET (publish = 'insert');
CREATE TYPE "hotfix_range" AS RANGE (SUBTYPE = int4);
`;

describe('drift over every catalog kind', () => {
  it('finds no drift without hand changes, names each hand change by kind and name with both definitions, and its SQL reconciles them', async () => {
    const { db, project } = fresh();
    await addEveryKind(project.dir, { server: true });
    const { open, env } = await projectOn(project.dir, db.url);
    const drift = async () => (await onEnv(env, (conn) => environmentStatus(open, env, conn, { drift: true }))).drift as CatalogDriftReport;
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));

    const clean = await drift();
    expect(clean).toMatchObject({ drifted: false, reconcileSql: null, differences: [], byKind: [] });

    await sqlOn(db.url, HAND_CHANGES);
    const report = await drift();
    expect(report.drifted).toBe(true);
    const named = (kind: string, name: string) => report.differences.find((d) => d.kind === kind && d.name === name);
    expect(named('schema', 'hotfix')).toMatchObject({ live: 'schema', expected: null, by: 'godwit' });
    expect(named('extension', 'pg_trgm')).toMatchObject({ live: null, expected: 'extension in schema public' });
    expect(named('domain', 'extra.positive_int')).toMatchObject({ live: 'AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0)', expected: 'AS integer NOT NULL CONSTRAINT positive_int_check CHECK (VALUE > 0)' });
    expect(named('composite type', 'public.money_pair')?.live).toContain('rate numeric');
    expect(named('sequence', 'public.ticket_seq')).toMatchObject({ live: expect.stringContaining('INCREMENT BY 10'), expected: expect.stringContaining('INCREMENT BY 5') });
    expect(named('constraint', 'public.gadget.gadget_price_check')).toMatchObject({ live: 'CHECK (price > 0)', expected: 'CHECK (price >= 0) NOT VALID', by: 'godwit' });
    expect(named('constraint', 'public.gadget.gadget_during_excl')).toMatchObject({ live: null, expected: 'EXCLUDE USING gist (during WITH &&)' });
    expect(named('constraint', 'public.gadget.gadget_name_key')).toMatchObject({ live: 'UNIQUE (name)', expected: 'UNIQUE (name) DEFERRABLE INITIALLY DEFERRED' });
    expect(named('index', 'public.gadget_cheap_idx')).toMatchObject({ live: expect.stringContaining('WHERE price < 5'), expected: expect.stringContaining('WHERE price < 10') });
    expect(named('view', 'public.cheap_gadgets')).toMatchObject({ live: expect.stringContaining('< 20'), expected: expect.stringContaining('< 10') });
    expect(named('materialized view', 'public.gadget_count')?.live).toContain('max(price) AS top');
    expect(named('function', 'public.touch_gadget()')).toMatchObject({ live: expect.stringContaining('lower(NEW."name")'), expected: expect.stringContaining('trim(NEW."name")') });
    expect(named('procedure', 'public.reprice(integer)')).toMatchObject({ live: null, expected: expect.stringContaining('CREATE OR REPLACE PROCEDURE') });
    expect(named('trigger', 'public.gadget.gadget_touch')).toMatchObject({ live: expect.stringContaining('BEFORE INSERT ON'), expected: expect.stringContaining('BEFORE INSERT OR UPDATE ON') });
    expect(named('row security', 'public.gadget')).toMatchObject({ live: 'enabled, forced', expected: 'enabled' });
    expect(named('policy', 'public.gadget.gadget_read')).toMatchObject({ live: expect.stringContaining('(price > 0)'), expected: expect.stringContaining('(price IS NOT NULL)') });
    expect(named('comment', 'ON TABLE public.gadget')).toMatchObject({ live: 'Hotfixed', expected: 'Things we sell' });
    expect(named('rule', 'public.gadget.gadget_keep_negative')).toMatchObject({ live: null, expected: expect.stringContaining('ON DELETE TO public.gadget') });
    expect(named('event trigger', 'ek_note_ddl')).toMatchObject({ live: expect.stringContaining('(disabled)'), expected: `ON ddl_command_end WHEN TAG IN ('ALTER TABLE', 'CREATE TABLE') EXECUTE FUNCTION public.note_ddl()` });
    expect(named('foreign server', 'ek_server')).toMatchObject({ live: expect.stringContaining(`host 'warehouse-2.internal'`), expected: expect.stringContaining(`host 'warehouse.internal'`) });
    expect(named('foreign table', 'public.remote_stock')?.live).toContain('bin text');
    expect(named('publication', 'gadget_changes')).toMatchObject({ live: expect.stringContaining(`publish = 'insert',`), expected: expect.stringContaining(`publish = 'insert, update'`) });
    expect(named('range type', 'public.hotfix_range')).toMatchObject({ live: 'AS RANGE (SUBTYPE = integer)', expected: null });
    for (const d of report.differences) expect(d.sql, `${d.kind} ${d.name}`).not.toBeNull();
    expect(report.byKind.map((g) => g.kind)).toContain('constraint');
    expect(report.reconcileSql).toMatch(/-- godwit: drop constraint public\.gadget\.gadget_price_check\n--   live:     CHECK \(price > 0\)\n--   expected: CHECK \(price >= 0\) NOT VALID\n/);
    expect(report.godwitForwardSql).toMatch(/ADD CONSTRAINT gadget_price_check CHECK \(price > 0\);/);

    // The reconcile script brings the live database back to what the migrations produce.
    if (process.env.SHOW_SQL) console.log(report.reconcileSql);
    await sqlOn(db.url, report.reconcileSql!);
    expect(await drift()).toMatchObject({ drifted: false, differences: [] });
  });

  it('on PGlite (a newer major, shadow in memory): no drift after replay, and a hand-made CHECK and view are named', async () => {
    const { project } = fresh();
    await addEveryKind(project.dir, { server: false });
    const open = await openProject(project.dir);
    const env: Environment = { name: 'dev', protected: false, display: 'memory', target: { kind: 'embedded', name: 'mem', dataDir: 'memory://' } };
    await onEnv(env, async (conn) => {
      await upgrade({ db: conn, env, folder: open.folder }, {});
      expect((await environmentStatus(open, env, conn, { drift: true })).drift).toMatchObject({ drifted: false, differences: [] });
      await conn.exec(`ALTER TABLE "gadget" ADD CONSTRAINT "gadget_name_check" CHECK (length("name") > 1); CREATE VIEW "hotfix_view" AS SELECT 1 AS one;`);
      const drift = (await environmentStatus(open, env, conn, { drift: true })).drift as CatalogDriftReport;
      expect(drift.differences.map((d) => [d.kind, d.name, d.live, d.expected])).toEqual([
        ['constraint', 'public.gadget.gadget_name_check', 'CHECK (length(name) > 1)', null],
        ['view', 'public.hotfix_view', 'SELECT 1 AS one;', null],
      ]);
    });
  });
});
