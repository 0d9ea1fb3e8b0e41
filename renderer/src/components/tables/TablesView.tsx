import { useEffect, useState } from 'react';
import type { CompareDto, TablesDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { groupByKind, KindGroups } from '../drift/KindGroups.tsx';

/** \dt and \d for the selected environment, and a comparison with another environment. */
export function TablesView() {
  const { selectedEnv, project } = useApp();
  const [pattern, setPattern] = useState('');
  const [list, setList] = useState<TablesDto | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [described, setDescribed] = useState<string | null>(null);
  const [plus, setPlus] = useState(false);
  const [other, setOther] = useState('');
  const [compare, setCompare] = useState<CompareDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comparing, setComparing] = useState(false);

  // Another environment selected: the comparison and its partner belong to the old one (else it compares prod with prod).
  useEffect(() => {
    setCompare(null);
    setOther((o) => (o === selectedEnv ? '' : o));
  }, [selectedEnv]);

  useEffect(() => {
    if (!selectedEnv) return;
    setError(null);
    call('tables/list', { env: selectedEnv, pattern: pattern || undefined, plus: true }).then(setList, (err: Error) => setError(err.message));
  }, [selectedEnv, pattern]);

  useEffect(() => {
    if (!selectedEnv || !selected) return setDescribed(null);
    call('tables/describe', { env: selectedEnv, name: selected, plus }).then((d) => setDescribed(d.text), (err: Error) => setDescribed(err.message));
  }, [selectedEnv, selected, plus]);

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
      <div className="tables-list">
        <input type="search" placeholder="Pattern, e.g. public.* or user?" aria-label="Table pattern" value={pattern} onChange={(e) => setPattern(e.target.value)} />
        {error && <p className="error" role="alert">{error}</p>}
        {list && list.rows.length === 0 && <p className="empty">No tables match.</p>}
        <table>
          <thead><tr><th>Schema</th><th>Name</th><th>Type</th><th>Size</th></tr></thead>
          <tbody>
            {list?.rows.map((r) => {
              const qualified = `${r.schema}.${r.name}`;
              return (
                <tr key={qualified} className={selected === qualified ? 'selected' : ''} onClick={() => setSelected(qualified)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && setSelected(qualified)} data-table={r.name}>
                  <td>{r.schema}</td><td>{r.name}</td><td>{r.type}</td><td className="num">{r.size}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="tables-detail">
        <div className="actions">
          <label className="check"><input type="checkbox" checked={plus} onChange={(e) => setPlus(e.target.checked)} /> \d+ (storage, statistics, description)</label>
          <span className="spacer" />
          <select aria-label="Compare with" value={other} onChange={(e) => setOther(e.target.value)}>
            <option value="">Compare with…</option>
            {project?.environments.filter((e) => e.name !== selectedEnv).map((e) => <option key={e.name} value={e.name}>{e.name}</option>)}
          </select>
          <button type="button" disabled={!other || comparing} onClick={() => void runCompare()}>{comparing ? 'Comparing…' : 'Compare'}</button>
        </div>
        {described ? <pre className="psql" data-testid="describe-output">{described}</pre> : <p className="empty">Select a table to see \d.</p>}
        {shown && (
          <div className="compare" data-testid="compare-output" data-pair={`${shown.a}:${shown.b}`}>
            <h3>{shown.differences.length ? `${shown.differences.length} difference(s) between ${shown.a} and ${shown.b}` : `${shown.a} and ${shown.b} have the same schema`}</h3>
            {shown.differences.length > 0 && (
              <KindGroups
                groups={shown.byKind ?? groupByKind(shown.differences)}
                left={shown.a}
                right={shown.b}
                testId="compare-groups"
                item={(d) => ({ name: `${d.relation}${d.name && d.name !== d.relation ? ` · ${d.name}` : ''}${d.property ? ` (${d.property})` : ''}`, a: d.a, b: d.b })}
              />
            )}
          </div>
        )}
      </div>
    </section>
  );
}
