import { useEffect, useState } from 'react';
import type { CompareDto, TablesDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { SchemaCompare } from './SchemaCompare.tsx';
import { TableDetail } from './TableDetail.tsx';
import { TableList } from './TableList.tsx';
import type { TableRef } from './use-table-structure.ts';
import './tables.css';

/** The selected environment's tables: a list, one table's parts as a DBA reads them, and compares with another environment. */
export function TablesView() {
  const { selectedEnv, project } = useApp();
  const [pattern, setPattern] = useState('');
  const [list, setList] = useState<TablesDto | null>(null);
  const [selected, setSelected] = useState<TableRef | null>(null);
  const [other, setOther] = useState('');
  // The per-table compare's partner: an environment or the migrations folder (the whole-schema compare takes environments only).
  const [tablePartner, setTablePartner] = useState('');
  const [compare, setCompare] = useState<CompareDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comparing, setComparing] = useState(false);
  const partners = project?.environments.filter((e) => e.name !== selectedEnv).map((e) => e.name) ?? [];

  // Another environment selected: the comparison and its partner belong to the old one (else it compares prod with prod).
  useEffect(() => {
    setCompare(null);
    setOther((o) => (o === selectedEnv ? '' : o));
    setTablePartner((o) => (o === selectedEnv ? '' : o));
  }, [selectedEnv]);

  // Tables and views, as \dt and \dv list them: sequences and indexes are parts of a table, shown in its tabs.
  useEffect(() => {
    if (!selectedEnv) return;
    setError(null);
    call('tables/list', { env: selectedEnv, pattern: pattern || undefined, kinds: ['tables', 'views', 'matviews'], plus: true }).then(setList, (err: Error) => setError(err.message));
  }, [selectedEnv, pattern]);

  const runCompare = async () => {
    if (!selectedEnv || !other || other === selectedEnv) return;
    setCompare(null);
    setComparing(true);
    try {
      const result = await call('environments/compare', { a: selectedEnv, b: other });
      // Shown only if the pair is still the one on screen.
      if (useApp.getState().selectedEnv === result.a) setCompare(result);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setComparing(false);
    }
  };
  const shown = compare && compare.a === selectedEnv && compare.b === other ? compare : null;

  return (
    <section className="tables" aria-label={`Tables in ${selectedEnv}`} data-testid="tables-view">
      <TableList list={list} pattern={pattern} onPattern={setPattern} selected={selected} onSelect={setSelected} error={error} />
      <div className="tables-detail">
        <div className="actions schema-compare-bar">
          <span className="muted">Whole schema:</span>
          <select aria-label="Compare with" value={other} onChange={(e) => setOther(e.target.value)}>
            <option value="">Compare with…</option>
            {partners.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
          <button type="button" disabled={!other || comparing} onClick={() => void runCompare()}>{comparing ? 'Comparing…' : 'Compare'}</button>
        </div>
        {selectedEnv && selected
          ? <TableDetail env={selectedEnv} table={selected} partner={tablePartner} partners={partners} onPartner={setTablePartner} />
          : <p className="empty">Select a table to see its columns, indexes, constraints, foreign keys, triggers, DDL and \d.</p>}
        {shown && <SchemaCompare compare={shown} />}
      </div>
    </section>
  );
}
