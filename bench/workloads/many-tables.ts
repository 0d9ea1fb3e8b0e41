/**
 * SQL for a schema of `count` tables, each with a primary key, a unique index, a plain index and (after the first) a
 * foreign key to the previous table — the shape of a large real schema.
 */
export function manyTablesSql(count: number): string[] {
  const batches: string[] = [];
  let batch = '';
  for (let i = 1; i <= count; i++) {
    const fk = i > 1 ? `,\n  prev_id integer REFERENCES wide_t${i - 1}(id) ON DELETE SET NULL` : '';
    batch += `CREATE TABLE wide_t${i} (\n  id serial PRIMARY KEY,\n  code text NOT NULL UNIQUE,\n  label varchar(200),\n  amount numeric(12,2) DEFAULT 0,\n  created_at timestamptz NOT NULL DEFAULT now()${fk}\n);\nCREATE INDEX wide_t${i}_created_idx ON wide_t${i} (created_at);\n`;
    if (i % 250 === 0 || i === count) {
      batches.push(batch);
      batch = '';
    }
  }
  return batches;
}
