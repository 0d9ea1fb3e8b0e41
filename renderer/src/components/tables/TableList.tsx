import type { TablesDto } from '../../../../electron/shared/dto.ts';
import type { TableRef } from './use-table-structure.ts';

/** `\dt`-like list of the environment's relations; a row (click or Enter) selects a table. */
export function TableList({ list, pattern, onPattern, selected, onSelect, error }: {
  list: TablesDto | null; pattern: string; onPattern(p: string): void; selected: TableRef | null; onSelect(t: TableRef): void; error: string | null;
}) {
  const isSelected = (r: TableRef) => selected?.schema === r.schema && selected.name === r.name;
  // One schema only (the usual Prisma project): its name in the caption, not repeated on every row.
  const schemas = new Set(list?.rows.map((r) => r.schema));
  const oneSchema = schemas.size === 1 ? [...schemas][0]! : null;
  return (
    <div className="tables-list">
      <input type="search" placeholder="Pattern, e.g. public.* or user?" aria-label="Table pattern" value={pattern} onChange={(e) => onPattern(e.target.value)} />
      {error && <p className="error" role="alert">{error}</p>}
      {list && list.rows.length === 0 && <p className="empty">No tables match.</p>}
      <table>
        {oneSchema && <caption className="muted">Schema {oneSchema}</caption>}
        <thead><tr>{!oneSchema && <th>Schema</th>}<th>Name</th><th>Type</th><th className="num">Size</th></tr></thead>
        <tbody>
          {list?.rows.map((r) => (
            <tr
              key={`${r.schema}.${r.name}`}
              className={isSelected(r) ? 'selected' : ''}
              aria-selected={isSelected(r)}
              onClick={() => onSelect({ schema: r.schema, name: r.name })}
              tabIndex={0}
              onKeyDown={(e) => e.key === 'Enter' && onSelect({ schema: r.schema, name: r.name })}
              data-table={r.name}
            >
              {!oneSchema && <td>{r.schema}</td>}<td>{r.name}</td><td>{r.type}</td><td className="num">{r.size}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
