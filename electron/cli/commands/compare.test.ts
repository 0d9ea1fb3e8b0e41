import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, sqlOn, type TestDatabase } from '../../engine/testing/test-database.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGodwit } from '../testing/run-cli.ts';
import { copyDemoProject } from '../../engine/testing/temp-project.ts';

let a: TestDatabase;
let b: TestDatabase;
beforeEach(async () => {
  [a, b] = [await createTestDatabase(), await createTestDatabase()];
});
afterEach(async () => {
  await a.drop();
  await b.drop();
});

const SHARED = `CREATE TABLE t (id int PRIMARY KEY, x int);`;

describe('godwit compare', () => {
  it('takes two --url values and reports enums, enum values and the other catalog kinds by kind', async () => {
    await sqlOn(a.url, `${SHARED} CREATE TYPE mood AS ENUM ('happy', 'sad'); CREATE TYPE size AS ENUM ('s');
      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; ALTER TABLE t ADD CONSTRAINT t_x_check CHECK (x > 0);`);
    await sqlOn(b.url, `${SHARED} CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');
      CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$; CREATE VIEW v AS SELECT id FROM t; GRANT SELECT ON t TO PUBLIC;`);
    const res = await runGodwit(['compare', '--url', a.url, '--url', b.url, '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout) as { differences: { kind: string; object: string; a: string | null; b: string | null }[]; byKind: { kind: string }[] };
    expect(out.differences.map((d) => [d.kind, d.object, d.a, d.b])).toEqual([
      ['enum', 'public.mood', `ENUM ('happy', 'sad')`, `ENUM ('happy', 'sad', 'meh')`],
      ['enum', 'public.size', `ENUM ('s')`, null],
      ['constraint', 'public.t.t_x_check', 'CHECK (x > 0)', null],
      ['view', 'public.v', null, expect.stringContaining('SELECT id')],
      ['function', 'public.f()', expect.stringContaining('SELECT 1'), expect.stringContaining('SELECT 2')],
    ]);
    expect(out.byKind.map((g) => g.kind)).toEqual(['enum', 'constraint', 'view', 'function']);

    const text = await runGodwit(['compare', '--url', a.url, '--url', b.url]);
    expect(text.stdout).toMatch(/^enum \(2\)$/m);
    expect(text.stdout).toMatch(/public\.mood +ENUM \('happy', 'sad'\) +ENUM \('happy', 'sad', 'meh'\)/);

    // Privileges only with --grants.
    const grants = JSON.parse((await runGodwit(['compare', '--url', a.url, '--url', b.url, '--json', '--grants'])).stdout) as typeof out;
    expect(grants.differences.filter((d) => d.kind === 'grant').map((d) => [d.object, d.a, d.b])).toEqual([['ON TABLE public.t', null, expect.stringContaining('=r/postgres')]]);

    const same = await runGodwit(['compare', '--url', a.url, '--url', a.url]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/have the same schema/);
  });

  it('--table compares one table part by part and prints the SQL that makes the first like the second', async () => {
    await sqlOn(a.url, `${SHARED} CREATE INDEX t_x_idx ON t (x); CREATE TABLE u (id int PRIMARY KEY, t_id int REFERENCES t);`);
    await sqlOn(b.url, `${SHARED} ALTER TABLE t ADD COLUMN note text NOT NULL DEFAULT ''; CREATE TABLE u (id int PRIMARY KEY, t_id int);`);
    const res = await runGodwit(['compare', '--url', a.url, '--url', b.url, '--table', 't']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/difference\(s\) in public\.t between/);
    expect(res.stdout).toMatch(/column +note +\(absent\) +text not null default ''::text/);
    expect(res.stdout).toMatch(/index +t_x_idx/);
    // The foreign key into t from u exists on one side only.
    expect(res.stdout).toMatch(/u_t_id_fkey \(from public\.u\)/);
    expect(res.stdout).toContain('ADD COLUMN note text');
    const json = JSON.parse((await runGodwit(['compare', '--url', a.url, '--url', b.url, '--table', 'public.t', '--json'])).stdout) as { differences: number; sqlAtoB: string; sqlBtoA: string };
    expect(json.differences).toBeGreaterThanOrEqual(3);
    expect(json.sqlBtoA).toContain('DROP COLUMN note');
    // The generated SQL does what it says: a becomes like b for this table.
    await sqlOn(a.url, json.sqlAtoB.replace(/ALTER TABLE public\.u[^;]*;/g, ''));
    const again = await runGodwit(['compare', '--url', a.url, '--url', b.url, '--table', 't', '--json']);
    expect((JSON.parse(again.stdout) as { rows: { status: string; kind: string; incomingFrom?: string }[] }).rows.filter((r) => r.status !== 'same' && !r.incomingFrom)).toEqual([]);
    expect((await runGodwit(['compare', '--url', a.url, '--url', b.url, '--table', 'nope'])).code).toBe(2);
  });

  it('takes the sides in command-line order when one is --url and the other --env', async () => {
    await sqlOn(a.url, SHARED);
    await sqlOn(b.url, `${SHARED} CREATE TYPE mood AS ENUM ('happy');`);
    const project = await copyDemoProject();
    try {
      await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: a.url } } }));
      const side = async (...args: string[]) => {
        const res = await runGodwit(['--project', project.dir, 'compare', ...args, '--json']);
        expect(res.stderr).toBe('');
        return (JSON.parse(res.stdout) as { differences: { object: string; a: string | null; b: string | null }[] }).differences.map((d) => [d.object, d.a, d.b]);
      };
      expect(await side('--url', b.url, '--env', 'dev')).toEqual([['public.mood', `ENUM ('happy')`, null]]);
      expect(await side('--env', 'dev', '--url', b.url)).toEqual([['public.mood', null, `ENUM ('happy')`]]);
      const text = await runGodwit(['--project', project.dir, 'compare', '--url', b.url, '-e', 'dev', '--table', 't']);
      expect(text.stdout).not.toMatch(/makes dev like/);
    } finally {
      await project.remove();
    }
  });

  it('lists the kinds it covers in --help, and refuses one database or an empty --url', async () => {
    const help = await runGodwit(['compare', '--help']);
    for (const kind of ['enums and their values', 'domains', 'extensions', 'functions and procedures', 'triggers', 'views', 'policies', 'comments', 'sequences and their options']) {
      expect(help.stdout.replace(/\s+/g, ' ')).toContain(kind);
    }
    expect((await runGodwit(['compare', '--url', a.url])).code).toBe(2);
    const blank = await runGodwit(['compare', '--url', a.url, '--url', '']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/--url is empty/);
  });
});
