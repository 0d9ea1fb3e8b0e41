import { useEffect, useState } from 'react';
import type { TableCompareDto, TableCompareRowDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { GenerateFromDifference } from './GenerateFromDifference.tsx';
import type { Loaded, TableRef } from './use-table-structure.ts';
import { MIGRATIONS_SIDE, sideLabel } from './side-label.ts';

const STATUS_TEXT = (r: TableCompareRowDto, a: string, b: string) =>
  r.status === 'same' ? 'same' : r.status === 'changed' ? 'changed' : r.status === 'only-a' ? `only in ${a}` : `only in ${b}`;

/** A side of one row: the definition, or "absent" in words (not only by colour). */
function Side({ text }: { text: string | null }) {
  return text === null ? <span className="absent">absent</span> : <code>{text}</code>;
}

/**
 * One table in this environment and another, part by part (tables/compare): rows that differ are marked and can be
 * shown alone; either side can be made like the other through a generated migration that the user reviews and saves.
 */
export function TableCompare({ env, table, partner, partners, onPartner }: { env: string; table: TableRef; partner: string; partners: string[]; onPartner(p: string): void }) {
  const [loaded, setLoaded] = useState<Loaded<TableCompareDto> | null>(null);
  const [onlyDiff, setOnlyDiff] = useState(true);
  const [generate, setGenerate] = useState<{ a: string; b: string } | null>(null);
  useEffect(() => {
    if (!partner) return setLoaded(null);
    let live = true;
    setLoaded({ state: 'loading' });
    call('tables/compare', { a: env, b: partner, schema: table.schema, name: table.name }).then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (err: Error) => live && setLoaded({ state: 'error', message: err.message }),
    );
    return () => {
      live = false;
    };
  }, [env, partner, table.schema, table.name]);

  const loadedValue = loaded?.state === 'ready' ? loaded.value : null;
  // Names on screen: the folder's side is "migrations".
  const c = loadedValue && { ...loadedValue, a: sideLabel(loadedValue.a), b: sideLabel(loadedValue.b) };
  const rows = c ? c.rows.filter((r) => !onlyDiff || r.status !== 'same') : [];
  return (
    <div className="table-compare" data-testid="table-compare" data-state={loaded?.state ?? 'idle'} data-pair={loadedValue ? `${loadedValue.a}:${loadedValue.b}` : undefined} data-differences={c?.differences}>
      <div className="actions">
        <label className="compare-partner">
          Compare {table.name} in {env} with{' '}
          <select aria-label="Compare this table with" value={partner} onChange={(e) => onPartner(e.target.value)}>
            <option value="">choose an environment…</option>
            {partners.map((p) => <option key={p} value={p}>{p}</option>)}
            <option value={MIGRATIONS_SIDE}>migrations folder</option>
          </select>
        </label>
        <span className="spacer" />
        {c && <label className="check"><input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> Only differences</label>}
      </div>
      {!partner && <p className="muted">Choose another environment to see this table in both, side by side.</p>}
      {loaded?.state === 'loading' && <p className="muted" role="status">{partner === MIGRATIONS_SIDE ? 'Replaying the migrations on a shadow database and reading both catalogs…' : 'Reading both catalogs…'}</p>}
      {loaded?.state === 'error' && <p className="error" role="alert">{loaded.message}</p>}
      {c && (
        <>
          <p className={c.differences ? 'warning' : 'ok'} role="status" data-testid="table-compare-summary">
            {!c.inA && `${c.schema}.${c.name} does not exist in ${c.a}. `}
            {!c.inB && `${c.schema}.${c.name} does not exist in ${c.b}. `}
            {c.differences ? `${c.differences} difference(s) between ${c.a} and ${c.b}` : `The same in ${c.a} and ${c.b}`}
            <span className="muted"> — compared by name from the server's own definitions; OIDs, column order and server version are left out.</span>
          </p>
          {c.differences > 0 && (
            <div className="actions generate">
              <button type="button" className="primary" data-testid="generate-a-like-b" onClick={() => setGenerate({ a: loadedValue!.a, b: loadedValue!.b })}>Generate a migration: make {c.a} like {c.b}…</button>
              <button type="button" data-testid="generate-b-like-a" onClick={() => setGenerate({ a: loadedValue!.b, b: loadedValue!.a })}>Make {c.b} like {c.a}…</button>
            </div>
          )}
          {rows.length > 0 && (
            <table className="structure-grid compare-grid" data-testid="table-compare-rows">
              <thead><tr><th scope="col">Part</th><th scope="col">Name</th><th scope="col">{c.a}</th><th scope="col">{c.b}</th><th scope="col">Status</th></tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.kind}:${r.incomingFrom ?? ''}:${r.name}`} className={`cmp-${r.status}`} data-kind={r.kind} data-name={r.name} data-status={r.status}>
                    <td>{r.kind}</td>
                    <td><code className="ident">{r.name}</code>{r.incomingFrom && <span className="muted"> on {r.incomingFrom}</span>}</td>
                    <td><Side text={r.a} /></td>
                    <td><Side text={r.b} /></td>
                    <td className="cmp-status">{STATUS_TEXT(r, c.a, c.b)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {generate && <GenerateFromDifference table={table} a={generate.a} b={generate.b} onClose={() => setGenerate(null)} />}
    </div>
  );
}
