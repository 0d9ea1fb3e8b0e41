import type { RelationListing } from './list-relations.ts';
import { renderPsqlTable } from './psql-table.ts';

/** psql's "List of relations" for \dt, \di, \d …, including its "(N rows)" footer. */
export function renderListing(
  rows: RelationListing[],
  opts: { verbose?: boolean; withTable?: boolean; withAccessMethod?: boolean; pattern?: string | undefined },
): string {
  if (rows.length === 0) {
    return opts.pattern ? `Did not find any relation named "${opts.pattern}".\n` : 'Did not find any relations.\n';
  }
  const headers = ['Schema', 'Name', 'Type', 'Owner'];
  if (opts.withTable) headers.push('Table');
  // psql shows the access method only when tables, materialized views or indexes are listed.
  const am = opts.withAccessMethod !== false;
  if (opts.verbose) headers.push('Persistence', ...(am ? ['Access method'] : []), 'Size', 'Description');
  const body = rows.map((r) => {
    const cells = [r.schema, r.name, r.type, r.owner];
    if (opts.withTable) cells.push(r.table ?? '');
    if (opts.verbose) cells.push(r.persistence ?? '', ...(am ? [r.accessMethod ?? ''] : []), r.size ?? '', r.description ?? '');
    return cells;
  });
  return renderPsqlTable({
    title: 'List of relations',
    headers,
    rows: body,
    footers: [`(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`],
  });
}
