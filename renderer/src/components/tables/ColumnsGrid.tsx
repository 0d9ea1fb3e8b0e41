import { useState } from 'react';
import type { TableStructureDto } from '../../../../electron/shared/dto.ts';

type Column = TableStructureDto['columns'][number];
type SortKey = 'position' | 'name' | 'type' | 'nullable';

const HEADERS: { key: SortKey | null; label: string }[] = [
  { key: 'position', label: '#' }, { key: 'name', label: 'Column' }, { key: 'type', label: 'Type' }, { key: 'nullable', label: 'Nullable' },
  { key: null, label: 'Default' }, { key: null, label: 'Identity / generated' }, { key: null, label: 'Collation' }, { key: null, label: 'Comment' },
];

function compare(key: SortKey, a: Column, b: Column): number {
  if (key === 'position') return a.position - b.position;
  if (key === 'nullable') return Number(a.nullable) - Number(b.nullable) || a.position - b.position;
  return a[key].localeCompare(b[key]) || a.position - b.position;
}

/** The columns as a grid; header buttons sort (aria-sort says how), the table's own order first. */
export function ColumnsGrid({ columns }: { columns: Column[] }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'position', desc: false });
  const rows = [...columns].sort((a, b) => (sort.desc ? -1 : 1) * compare(sort.key, a, b));
  const toggle = (key: SortKey) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }));
  // Identity, collation and comment columns only when some column has one: a narrow window keeps room for types.
  const has = {
    'Identity / generated': columns.some((c) => c.identity || c.generated !== null),
    Collation: columns.some((c) => c.collation),
    Comment: columns.some((c) => c.comment),
  } as Record<string, boolean>;
  const headers = HEADERS.filter((h) => has[h.label] !== false);
  const shown = (label: string) => has[label] !== false;
  return (
    <table className="structure-grid" data-testid="columns-grid">
      <thead>
        <tr>
          {headers.map((h) => (
            <th key={h.label} scope="col" aria-sort={h.key && sort.key === h.key ? (sort.desc ? 'descending' : 'ascending') : undefined} className={h.key === 'position' ? 'num' : undefined}>
              {h.key ? (
                <button type="button" className="sort" onClick={() => toggle(h.key!)}>
                  {h.label}<span aria-hidden="true" className="sort-mark">{sort.key === h.key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
                </button>
              ) : h.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.name} data-column={c.name}>
            <td className="num muted">{c.position}</td>
            <td><code className="ident">{c.name}</code></td>
            <td><code>{c.type}</code></td>
            <td className="nowrap">{c.nullable ? <span className="muted">null</span> : <strong>not null</strong>}</td>
            <td className="wrap-anywhere">{c.default !== null && <code>{c.default}</code>}</td>
            {shown('Identity / generated') && <td>{c.identity ? `identity (${c.identity})` : c.generated !== null ? <>generated: <code>{c.generated}</code></> : ''}</td>}
            {shown('Collation') && <td>{c.collation && <code>{c.collation}</code>}</td>}
            {shown('Comment') && <td className="comment">{c.comment}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
