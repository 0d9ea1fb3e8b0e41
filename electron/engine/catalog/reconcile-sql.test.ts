import { describe, expect, it } from 'vitest';
import { reconcileSteps } from './reconcile-sql.ts';
import { objectKey, type CatalogObject, type CatalogSnapshot } from './types.ts';

const snap = (...objects: CatalogObject[]): CatalogSnapshot => ({ objects: new Map(objects.map((o) => [objectKey(o.kind, o.name), o])) });
const enumOf = (labels: string[]): CatalogObject => ({
  kind: 'enum', name: 'public.mood', definition: `ENUM (${labels.map((l) => `'${l}'`).join(', ')})`, ord: 1, detail: { labels: JSON.stringify(labels) },
});
const column = (name: string, detail: Partial<CatalogObject['detail']>): CatalogObject => ({
  kind: 'column', name: `public.t.${name}`, table: 'public.t', ord: 1, definition: JSON.stringify(detail),
  detail: { column: name, type: 'integer', notnull: false, default: null, identity: '', generated: '', collation: null, full: 'integer', ...detail },
});
const sqlOf = (from: CatalogSnapshot, to: CatalogSnapshot) => reconcileSteps(from, to).map((s) => s.sql);

describe('reconcile SQL', () => {
  it('adds enum values in place, in order, and says when values would have to be removed', () => {
    expect(sqlOf(snap(enumOf(['a', 'c'])), snap(enumOf(['z', 'a', 'b', 'c', "it's"])))).toEqual([
      `ALTER TYPE public.mood ADD VALUE 'z' BEFORE 'a';`,
      `ALTER TYPE public.mood ADD VALUE 'b' AFTER 'a';`,
      `ALTER TYPE public.mood ADD VALUE 'it''s' AFTER 'c';`,
    ]);
    const removal = reconcileSteps(snap(enumOf(['a', 'b'])), snap(enumOf(['b', 'a'])));
    expect(removal).toEqual([expect.objectContaining({ action: 'note', sql: expect.stringMatching(/^-- enum public\.mood loses or reorders values/) })]);
  });

  it('changes a column in place: type, default and NOT NULL', () => {
    expect(sqlOf(snap(column('x', {})), snap(column('x', { type: 'bigint', default: '0', notnull: true })))).toEqual([
      'ALTER TABLE public.t ALTER COLUMN x TYPE bigint USING x::bigint;',
      'ALTER TABLE public.t ALTER COLUMN x SET DEFAULT 0;',
      'ALTER TABLE public.t ALTER COLUMN x SET NOT NULL;',
    ]);
  });

  it('leaves to a dropped column what goes with it (its owned sequence), and to a dropped table its children', () => {
    const seq: CatalogObject = { kind: 'sequence', name: 'public.t_x_seq', definition: 'AS integer OWNED BY public.t.x', ord: 2, detail: { options: 'AS integer', ownedBy: 'public.t.x' } };
    expect(sqlOf(snap(column('x', {}), seq), snap())).toEqual(['ALTER TABLE public.t DROP COLUMN x;']);
    const table: CatalogObject = { kind: 'table', name: 'public.t', definition: 'table', ord: 0, detail: {} };
    const check: CatalogObject = { kind: 'constraint', name: 'public.t.t_x_check', table: 'public.t', definition: 'CHECK (x > 0)', ord: 3, detail: { type: 'c', constraint: 't_x_check' } };
    expect(sqlOf(snap(table, column('x', {}), seq, check), snap())).toEqual(['DROP TABLE public.t;']);
  });
});
