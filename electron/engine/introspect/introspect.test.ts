import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { connectPostgres } from '../db/connect-postgres.ts';
import type { Db } from '../db/db.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { describeRelations } from './describe-relation.ts';
import { renderDescribe, renderDescriptions } from './render-describe.ts';
import { listRelations, listsAccessMethod, type RelationKindFilter } from './list-relations.ts';
import { renderListing } from './render-listing.ts';
import { readSchemaSnapshot } from './schema-snapshot.ts';
import { compareSchemas } from './compare-schemas.ts';

const run = promisify(execFile);
let db: TestDatabase;
let conn: Db;

/** What the real psql client prints for a meta-command, as the same user. */
async function psql(url: string, command: string): Promise<string> {
  const env = { ...process.env, PGCLIENTENCODING: 'UTF8', COLUMNS: '10000' };
  const { stdout, stderr } = await run('psql', ['-X', url, '-c', command], { env }).catch((e: { stdout: string; stderr: string }) => e);
  return stdout + stderr;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await sqlOn(db.url, await readFile(new URL('./fixture-schema.sql', import.meta.url), 'utf8'));
  conn = await connectPostgres({ url: db.url });
});
afterAll(async () => {
  await conn.close();
  await db.drop();
});

/** Every relation the fixture builds (and its TOAST table), by qualified name. */
async function fixtureRelations(): Promise<string[]> {
  const rows = await sqlOn<{ q: string }>(db.url, `
    SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS q
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('public', 'billing')
        OR c.oid = (SELECT reltoastrelid FROM pg_catalog.pg_class WHERE relname = 'bookings')
     ORDER BY 1`);
  return rows.map((r) => r.q);
}

/** Patterns psql resolves to several relations, catalogs, unqualified and quoted names. */
const PATTERNS = [
  '"Customers"', '"order lines"', 'measurements', 'billing.*', 'measurements*', 'bookings*', '*', 'pg_catalog.pg_class',
  'pg_catalog.pg_class_oid_index', 'information_schema.tables',
];

describe('describe (\\d) matches psql byte for byte', () => {
  it('for every relation of the fixture, \\d and \\d+, and for patterns', async () => {
    const names = [...(await fixtureRelations()), ...PATTERNS];
    expect(names.length).toBeGreaterThan(70);
    const differ: string[] = [];
    for (const name of names) {
      for (const verbose of [false, true]) {
        const command = `\\d${verbose ? '+' : ''} ${name}`;
        // As the CLI asks: \d reads no comments, \d+ does.
        const ours = renderDescriptions(await describeRelations(conn, name, { descriptions: verbose }), verbose);
        const theirs = await psql(db.url, command);
        if (ours !== theirs) differ.push(`${command}\n--- psql\n${theirs}--- godwit\n${ours}`);
      }
    }
    // All differences at once, each with both texts, so one run shows everything that is off.
    expect(differ.join('\n')).toBe('');
  }, 120_000);

  it('ends each relation with psql\'s blank line and counts a partitioned table\'s partitions even when none', async () => {
    const [events] = await describeRelations(conn, 'events');
    const text = renderDescribe(events!, false);
    expect(text.endsWith('Number of partitions: 0\n\n')).toBe(true);
    expect(renderDescribe(events!, true).endsWith('Number of partitions: 0\n\n')).toBe(true);
  });

  it('says what psql says when nothing matches', async () => {
    await expect(describeRelations(conn, 'nope')).rejects.toThrow('Did not find any relation named "nope".');
    expect(await psql(db.url, '\\d nope')).toContain('Did not find any relation named "nope".');
  });

  it('costs two round trips whatever the number of relations, columns and indexes', async () => {
    let calls = 0;
    const counting: Db = { ...conn, query: (...a) => (calls++, conn.query(...a)), queryBatch: (s) => (calls++, conn.queryBatch(s)) };
    await describeRelations(counting, '"Customers"');
    expect(calls).toBe(2);
    calls = 0;
    const all = await describeRelations(counting, '*');
    expect(all.length).toBeGreaterThan(100);
    expect(calls).toBe(2);
  });

  it('gives structured facts for --json', async () => {
    const [c] = await describeRelations(conn, '"Customers"');
    expect(c!.columns.find((x) => x.name === 'id')).toMatchObject({ identity: 'always', notNull: true, type: 'integer' });
    expect(c!.columns.find((x) => x.name === 'name_length')!.generated).toBe('length("FullName")');
    expect(c!.triggers.map((t) => [t.name, t.enabled])).toEqual([['customers_audit', 'D'], ['customers_touch', 'O']]);
    expect(c!.referencedBy.map((r) => r.table)).toEqual(['billing.invoices', '"order lines"']);
    expect([c!.description, c!.columns.find((x) => x.name === 'email')!.description]).toEqual(['People who pay us', 'Unique, lower-cased']);
    const [plain] = await describeRelations(conn, '"Customers"', { descriptions: false });
    expect([plain!.description, plain!.columns.find((x) => x.name === 'email')!.description]).toEqual([null, null]);
  });
});

describe('listing (\\dt and friends) matches psql', () => {
  const cases: [string, RelationKindFilter[] | undefined, string | undefined][] = [
    ['\\dt', ['tables'], undefined], ['\\di', ['indexes'], undefined], ['\\ds', ['sequences'], undefined],
    ['\\dv', ['views'], undefined], ['\\dm', ['matviews'], undefined], ['\\d', undefined, undefined],
    ['\\dt', ['tables'], 'billing.*'], ['\\dt', ['tables'], 'measurements_202?'], ['\\dt', ['tables'], '"Customers"'],
    ['\\dt', ['tables'], 'nothing'], ['\\di', ['indexes'], '*.*idx'], ['\\dvs', ['views', 'sequences'], undefined],
    ['\\dE', ['foreign'], undefined], ['\\dt', ['tables'], 'pg_toast.*'], ['\\dti', ['tables', 'indexes'], 'bookings*'],
    ['\\dtvmsiE', ['tables', 'views', 'matviews', 'sequences', 'indexes', 'foreign'], undefined],
    ['\\dm', ['matviews'], '*.*'], ['\\ds', ['sequences'], 'billing.*'], ['\\di', ['indexes'], '"order lines_pkey"'],
  ];
  for (const [cmd, kinds, pattern] of cases) {
    for (const verbose of [false, true]) {
      it(`${cmd}${verbose ? '+' : ''} ${pattern ?? ''}`, async () => {
        const rows = await listRelations(conn, { kinds, pattern, verbose });
        const ours = renderListing(rows, { verbose, withTable: kinds?.includes('indexes'), withAccessMethod: listsAccessMethod(kinds), pattern });
        expect(ours).toBe(await psql(db.url, `${cmd}${verbose ? '+' : ''} ${pattern ?? ''}`));
      });
    }
  }
});

describe('tablespaces of their own', () => {
  // describe reads pg_tablespace only when a relation or one of its indexes has one (describe-relation.ts). A
  // tablespace needs a folder the server's OS user owns: made here when the server runs on this machine.
  it('shows a table\'s and an index\'s tablespace as psql does, and none for the others', async () => {
    const { chownSync, mkdtempSync, rmSync, statSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const d = (await sqlOn<{ d: string }>(db.url, 'SELECT current_setting(\'data_directory\') AS d'))[0]!.d;
    const owner = statSync(d, { throwIfNoEntry: false });
    if (!owner || process.getuid?.() !== 0) {
      console.warn(`skipped: a tablespace needs the server's data directory here and root to give it a folder (server data directory ${d})`);
      return;
    }
    const dir = mkdtempSync(`${tmpdir()}/godwit-ts-`);
    chownSync(dir, owner.uid, owner.gid);
    const space = `godwit_ts_${db.name.slice(-6)}`;
    await sqlOn(db.url, `CREATE TABLESPACE ${space} LOCATION '${dir}'`);
    try {
      await sqlOn(db.url, `CREATE TABLE spaced (id int PRIMARY KEY, v int) TABLESPACE ${space};
        CREATE TABLE index_spaced (id int PRIMARY KEY, v int); CREATE INDEX index_spaced_v ON index_spaced (v) TABLESPACE ${space};`);
      for (const name of ['spaced', 'index_spaced', 'spaced*', 'billing.invoices']) {
        for (const verbose of [false, true]) {
          const ours = renderDescriptions(await describeRelations(conn, name), verbose);
          expect(ours, name).toBe(await psql(db.url, `\\d${verbose ? '+' : ''} ${name}`));
        }
      }
      expect(renderDescriptions(await describeRelations(conn, 'spaced'), false)).toContain(`Tablespace: "${space}"`);
      expect(renderDescriptions(await describeRelations(conn, 'index_spaced'), false)).toContain(`tablespace "${space}"`);
    } finally {
      await sqlOn(db.url, 'DROP TABLE IF EXISTS spaced, index_spaced');
      await sqlOn(db.url, `DROP TABLESPACE IF EXISTS ${space}`);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a role without privileges', () => {
  it('still lists and describes what the catalog shows it, as psql does', async () => {
    const role = `godwit_ro_${db.name.slice(-6)}`;
    await sqlOn(db.url, `CREATE ROLE ${role} LOGIN; REVOKE ALL ON SCHEMA billing FROM PUBLIC;`);
    try {
      const url = db.url.replace('postgres@', `${role}@`);
      const limited = await connectPostgres({ url });
      try {
        const ours = renderDescriptions(await describeRelations(limited, 'billing.invoices'), true);
        expect(ours).toBe(await psql(url, '\\d+ billing.invoices'));
        await expect(limited.query('SELECT * FROM billing.invoices')).rejects.toThrow(/permission denied/);
      } finally {
        await limited.close();
      }
    } finally {
      await sqlOn(db.url, `DROP OWNED BY ${role}; DROP ROLE ${role};`);
    }
  });
});

describe('compare', () => {
  it('lists what exists or differs on one side only', async () => {
    const other = await createTestDatabase();
    try {
      await sqlOn(other.url, await readFile(new URL('./fixture-schema.sql', import.meta.url), 'utf8'));
      await sqlOn(other.url, `ALTER TABLE "Customers" ADD COLUMN nickname text;
        ALTER TABLE "Customers" ALTER COLUMN email TYPE text;
        ALTER TABLE cities ALTER COLUMN population SET NOT NULL;
        ALTER TABLE billing.invoices ALTER COLUMN issued_on DROP DEFAULT;
        DROP INDEX customers_active_idx;
        ALTER TABLE "order lines" DROP CONSTRAINT "order lines_quantity_check";
        DROP VIEW active_customers;`);
      const b = await connectPostgres({ url: other.url });
      try {
        const diffs = compareSchemas(await readSchemaSnapshot(conn), await readSchemaSnapshot(b));
        expect(diffs.map((d) => `${d.relation} ${d.kind} ${d.name} ${d.property ?? ''}: ${d.a} | ${d.b}`)).toEqual([
          'billing.invoices column issued_on default: CURRENT_DATE | null',
          'public.Customers column email type: character varying(320) | text',
          'public.Customers column nickname : null | text',
          'public.Customers index customers_active_idx : CREATE INDEX customers_active_idx ON "Customers" USING btree (created_at) WHERE mood <> \'sad\'::mood | null',
          // Changing the column's type changes how the expression index prints: a real difference.
          'public.Customers index customers_email_lower_idx definition: CREATE UNIQUE INDEX customers_email_lower_idx ON "Customers" USING btree (lower(email::text)) | CREATE UNIQUE INDEX customers_email_lower_idx ON "Customers" USING btree (lower(email))',
          'public.active_customers relation public.active_customers : view | null',
          // NOT NULL on a parent is inherited by its child table.
          'public.capitals column population nullable: null | not null',
          'public.cities column population nullable: null | not null',
          'public.order lines constraint order lines_quantity_check : CHECK (quantity > 0::numeric) | null',
          'public.towns column population nullable: null | not null',
        ]);
        expect(compareSchemas(await readSchemaSnapshot(conn), await readSchemaSnapshot(conn))).toEqual([]);
      } finally {
        await b.close();
      }
    } finally {
      await other.drop();
    }
  });
});
