import { useState } from 'react';
import { SqlView } from '../common/SqlView.tsx';
import { Tabs } from '../common/Tabs.tsx';
import { ColumnsGrid } from './ColumnsGrid.tsx';
import { ConstraintsTable, ForeignKeysTables, IndexesTable, TriggersAndPolicies } from './StructureTables.tsx';
import { TableCompare } from './TableCompare.tsx';
import { TableSummary } from './TableSummary.tsx';
import { sideLabel } from './side-label.ts';
import { useTableStructure, type TableRef } from './use-table-structure.ts';

type TabId = 'columns' | 'indexes' | 'constraints' | 'fks' | 'triggers' | 'ddl' | 'psql' | 'compare';

/** One table: its summary, then a tab per part; the tab chosen stays when another table is opened. */
export function TableDetail({ env, table, partner, partners, onPartner }: { env: string; table: TableRef; partner: string; partners: string[]; onPartner(p: string): void }) {
  const loaded = useTableStructure(env, table);
  const [tab, setTab] = useState<TabId>('columns');
  const [plus, setPlus] = useState(false);
  const state = loaded?.state ?? 'loading';
  return (
    <div className="table-detail" data-testid="table-detail" data-state={state} data-table={`${table.schema}.${table.name}`}>
      {loaded?.state === 'error' && <p className="error" role="alert">{loaded.message}</p>}
      {loaded?.state === 'loading' && <p className="muted" role="status">Reading {table.schema}.{table.name}…</p>}
      {loaded?.state === 'ready' && (() => {
        const s = loaded.value;
        const fks = s.foreignKeys.outgoing.length + s.foreignKeys.incoming.length;
        return (
          <>
            <TableSummary s={s} />
            <Tabs<TabId>
              label={`Parts of ${s.schema}.${s.name}`}
              selected={tab}
              onSelect={setTab}
              tabs={[
                { id: 'columns', label: `Columns (${s.columns.length})`, panel: <ColumnsGrid columns={s.columns} /> },
                { id: 'indexes', label: `Indexes (${s.indexes.length})`, panel: <IndexesTable s={s} /> },
                { id: 'constraints', label: `Constraints (${s.constraints.length})`, panel: <ConstraintsTable s={s} /> },
                { id: 'fks', label: `Foreign keys (${fks})`, panel: <ForeignKeysTables s={s} /> },
                { id: 'triggers', label: `Triggers & policies (${s.triggers.length + s.policies.length})`, panel: <TriggersAndPolicies s={s} /> },
                { id: 'ddl', label: 'DDL', panel: <SqlView code={s.ddl} label={`DDL of ${s.schema}.${s.name}`} /> },
                {
                  id: 'psql', label: '\\d',
                  panel: (
                    <>
                      <label className="check"><input type="checkbox" checked={plus} onChange={(e) => setPlus(e.target.checked)} /> \d+ (storage, statistics, description)</label>
                      <pre className="psql" data-testid="describe-output">{plus ? s.psqlPlus : s.psql}</pre>
                    </>
                  ),
                },
                { id: 'compare', label: partner ? `Compare with ${sideLabel(partner)}` : 'Compare', panel: <TableCompare env={env} table={table} partner={partner} partners={partners} onPartner={onPartner} /> },
              ]}
            />
          </>
        );
      })()}
    </div>
  );
}
