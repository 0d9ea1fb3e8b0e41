import { useEffect, useState } from 'react';
import type { CompareDto, TablesDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';

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
    if (!selectedEnv || !other) return;
    setCompare(null);
    try {
      setCompare(await call('environments/compare', { a: selectedEnv, b: other }));
    } catch (err) {
      setError((err as Error).message);
    }
  };

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
          <button type="button" disabled={!other} onClick={() => void runCompare()}>Compare</button>
        </div>
        {described ? <pre className="psql" data-testid="describe-output">{described}</pre> : <p className="empty">Select a table to see \d.</p>}
        {compare && (
          <div className="compare" data-testid="compare-output">
            <h3>{compare.differences.length ? `${compare.differences.length} difference(s) between ${compare.a} and ${compare.b}` : `${compare.a} and ${compare.b} have the same schema`}</h3>
            {compare.differences.length > 0 && (
              <table>
                <thead><tr><th>Relation</th><th>What</th><th>Name</th><th>{compare.a}</th><th>{compare.b}</th></tr></thead>
                <tbody>
                  {compare.differences.map((d, i) => (
                    <tr key={i} className="diff-row">
                      <td>{d.relation}</td><td>{d.property ? `${d.kind} ${d.property}` : d.kind}</td><td>{d.kind === 'relation' ? '' : d.name}</td>
                      <td className={d.a === null ? 'absent' : ''}>{d.a ?? 'absent'}</td><td className={d.b === null ? 'absent' : ''}>{d.b ?? 'absent'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
