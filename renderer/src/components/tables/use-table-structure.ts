import { useEffect, useState } from 'react';
import type { TableStructureDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';

export interface TableRef {
  schema: string;
  name: string;
}

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

/** tables/structure for one table, dropped when the environment or table changes under it (a late answer is ignored). */
export function useTableStructure(env: string | null, table: TableRef | null): Loaded<TableStructureDto> | null {
  const [loaded, setLoaded] = useState<Loaded<TableStructureDto> | null>(null);
  const key = env && table ? `${env}\u0000${table.schema}\u0000${table.name}` : null;
  useEffect(() => {
    if (!env || !table) return setLoaded(null);
    let live = true;
    setLoaded({ state: 'loading' });
    call('tables/structure', { env, schema: table.schema, name: table.name }).then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (err: Error) => live && setLoaded({ state: 'error', message: err.message }),
    );
    // Keyed on the values, not the object: a new {schema, name} for the same table does not refetch.
    return () => {
      live = false;
    };
  }, [key]);
  return loaded;
}
