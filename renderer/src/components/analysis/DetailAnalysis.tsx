import { useEffect, useState } from 'react';
import type { StatementAnalysisDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { StatementAnalysis } from './StatementAnalysis.tsx';

type State = { phase: 'idle' } | { phase: 'loading' } | { phase: 'done'; statements: StatementAnalysisDto[]; version: number | null } | { phase: 'error'; message: string };

/**
 * A pending migration's statements analysed against the selected environment (its server version and table
 * statistics): the same preview the confirmation reads, planned up to this migration. Asked for, not automatic —
 * planning reads the environment.
 */
export function DetailAnalysis({ env, name }: { env: string; name: string }) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  useEffect(() => setState({ phase: 'idle' }), [env, name]);
  const analyse = () => {
    setState({ phase: 'loading' });
    call('migrations/preview', { env, direction: 'up', to: name }).then(
      (p) => setState({ phase: 'done', statements: p.steps.find((s) => s.name === name)?.analysis ?? [], version: p.analysis?.serverVersion ?? null }),
      (err: Error) => setState({ phase: 'error', message: err.message }),
    );
  };
  return (
    <section className="detail-analysis" aria-label={`Analysis on ${env}`} data-testid="detail-analysis" data-state={state.phase}>
      <div className="section-head">
        <button type="button" onClick={analyse} disabled={state.phase === 'loading'} data-testid="analyse-here">{state.phase === 'done' ? `Analyse on ${env} again` : `Analyse on ${env}`}</button>
        {state.phase === 'idle' && <span className="muted">Locks, rewrites, rows and size of each statement on {env}.</span>}
        {state.phase === 'loading' && <span className="muted" role="status">Reading {env}…</span>}
        {state.phase === 'done' && state.version !== null && <span className="muted">PostgreSQL {state.version} · statistics of {env}</span>}
      </div>
      {state.phase === 'error' && <p className="error" role="alert">{state.message}</p>}
      {state.phase === 'done' && <StatementAnalysis statements={state.statements} label={`Statements of ${name} on ${env}`} />}
    </section>
  );
}
