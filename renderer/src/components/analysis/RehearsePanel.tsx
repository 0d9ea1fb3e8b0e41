import { useState } from 'react';
import type { RehearsalDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { formatMs } from './format.ts';

type State = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; result: RehearsalDto } | { phase: 'error'; message: string };

const locks = (l: { relation: string; mode: string }[]) => (l.length ? l.map((x) => `${x.mode} on ${x.relation}`).join(', ') : 'none');

/**
 * Rehearsal: the pending migrations run on a throwaway clone of the environment's schema (and a sample of its rows);
 * each statement's predicted locks and rewrite beside what pg_locks and relfilenode showed. The clone is dropped.
 */
export function RehearsePanel({ env }: { env: string }) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const rehearse = () => {
    setState({ phase: 'running' });
    call('migrations/rehearse', { env }).then((result) => setState({ phase: 'done', result }), (err: Error) => setState({ phase: 'error', message: err.message }));
  };
  const r = state.phase === 'done' ? state.result : null;
  return (
    <section className="rehearsal" aria-label="Rehearsal" data-testid="rehearsal" data-state={state.phase}>
      <div className="section-head">
        <h3>Rehearsal</h3>
        {state.phase === 'idle' && <span className="muted">Runs the pending migrations on a throwaway copy of {env}'s schema and compares what happened with the prediction.</span>}
        {state.phase === 'running' && <span className="muted" role="status">Rehearsing on a throwaway copy…</span>}
        {r && (
          <span className={r.ok ? 'ok' : 'error'} role="status" data-testid="rehearsal-summary">
            {r.ok ? 'Rehearsal passed' : 'Rehearsal failed'} in {formatMs(r.durationMs)}{r.clone ? ` · ${r.clone.rowsCopied.toLocaleString()} row(s) copied, clone ${r.clone.dropped ? 'dropped' : 'NOT dropped'}` : ' · nothing pending'}
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={rehearse} disabled={state.phase === 'running'} data-testid="rehearse">{state.phase === 'done' ? 'Rehearse again' : 'Rehearse'}</button>
      </div>
      {state.phase === 'error' && <p className="error" role="alert">{state.message}</p>}
      {r && r.migrations.length > 0 && (
        <div className="table-scroll">
          <table className="analysis" aria-label="Predicted and observed" data-testid="rehearsal-table">
            <thead><tr><th scope="col">Migration · line</th><th scope="col">Status</th><th scope="col">Predicted locks</th><th scope="col">Observed locks</th><th scope="col">Rewrite predicted / observed</th><th scope="col">Agrees</th></tr></thead>
            <tbody>
              {r.migrations.flatMap((m) => m.statements.map((s, i) => (
                <tr key={`${m.name}:${i}`} data-status={s.status} data-matches={s.matches ? String(s.matches.locks && s.matches.rewrite) : ''}>
                  <td data-label="Migration · line"><code>{m.name}</code> · {s.line}</td>
                  <td data-label="Status" className={s.status === 'failed' ? 'error' : ''}>{s.status}{s.durationMs !== null ? ` (${formatMs(s.durationMs)})` : ''}{s.error ? `: ${s.error.message}` : ''}</td>
                  <td data-label="Predicted locks">{locks(s.predicted.locks)}</td>
                  <td data-label="Observed locks">{s.observed ? locks(s.observed.locks) : '—'}</td>
                  <td data-label="Rewrite predicted / observed">{s.predicted.rewrite ? 'yes' : 'no'} / {s.observed ? (s.observed.rewritten.length ? `yes (${s.observed.rewritten.join(', ')})` : 'no') : '—'}</td>
                  <td data-label="Agrees">{s.matches ? (s.matches.locks && s.matches.rewrite ? '✓' : <strong className="error">✕ differs</strong>) : '—'}</td>
                </tr>
              )))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
