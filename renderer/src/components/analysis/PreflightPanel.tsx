import { useCallback, useEffect, useState } from 'react';
import type { PreflightDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import type { RunTarget } from '../../store/run-slice.ts';
import { formatMs } from './format.ts';

type State = { phase: 'checking' } | { phase: 'done'; result: PreflightDto; at: number } | { phase: 'error'; message: string };

/** Findings that should stop a careful person: sessions in the way, and data the run would fail on. */
export function preflightFindings(p: PreflightDto): { blockers: number; failingChecks: number } {
  return { blockers: p.blockers.length, failingChecks: p.dataChecks.filter((c) => c.status !== 'ok' && c.status !== 'skipped').length };
}

/**
 * The live pre-flight of this run on its environment: sessions holding or waiting for a lock the run needs (or
 * idling in a transaction), and read-only checks of existing rows against the new constraints. Re-check reads again.
 */
export function PreflightPanel({ env, target, onResult }: { env: string; target: RunTarget; onResult?: (p: PreflightDto | null) => void }) {
  const [state, setState] = useState<State>({ phase: 'checking' });
  const check = useCallback(() => {
    setState({ phase: 'checking' });
    onResult?.(null);
    call('migrations/preflight', { env, ...target }).then(
      (result) => {
        setState({ phase: 'done', result, at: Date.now() });
        onResult?.(result);
      },
      (err: Error) => setState({ phase: 'error', message: err.message }),
    );
  }, [env, JSON.stringify(target)]);
  useEffect(check, [check]);

  const dataState = state.phase === 'done' ? (state.result.clear ? 'clear' : 'findings') : state.phase;
  const f = state.phase === 'done' ? preflightFindings(state.result) : null;
  return (
    <section className={`preflight ${dataState}`} aria-label="Pre-flight" data-testid="preflight" data-state={dataState}>
      <div className="section-head">
        <h3>Pre-flight on {env}</h3>
        {state.phase === 'checking' && <span className="muted" role="status">Checking sessions and data…</span>}
        {state.phase === 'done' && (
          <span className={state.result.clear ? 'ok' : 'error'} role="status" data-testid="preflight-summary">
            {state.result.clear ? 'Clear: no session in the way, existing data passes every check.' : `${f!.blockers} blocking session(s), ${f!.failingChecks} data check(s) failing.`}
            <span className="muted"> (checked {new Date(state.at).toLocaleTimeString()})</span>
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={check} disabled={state.phase === 'checking'} data-testid="preflight-recheck">Re-check</button>
      </div>
      {state.phase === 'error' && <p className="error" role="alert">{state.message}</p>}
      {state.phase === 'done' && state.result.note && <p className="muted">{state.result.note}</p>}
      {state.phase === 'done' && state.result.blockers.length > 0 && (
        <ul className="blockers" aria-label="Blocking sessions" data-testid="preflight-blockers">
          {state.result.blockers.map((b) => (
            <li key={b.pid} data-pid={b.pid}>
              <strong>pid {b.pid}</strong> ({b.user ?? 'unknown user'}{b.application ? `, ${b.application}` : ''}{b.state ? `, ${b.state}` : ''}{b.ageMs !== null ? `, for ${formatMs(b.ageMs)}` : ''}): {b.reason}
              {b.query && <div><code className="stmt">{b.query.length > 160 ? `${b.query.slice(0, 160)}…` : b.query}</code></div>}
            </li>
          ))}
        </ul>
      )}
      {state.phase === 'done' && state.result.dataChecks.length > 0 && (
        <ul className="data-checks" aria-label="Data checks" data-testid="preflight-data-checks">
          {state.result.dataChecks.map((c, i) => (
            <li key={i} data-status={c.status} className={c.status === 'ok' ? '' : c.status === 'skipped' ? 'muted' : 'error'}>
              {c.status === 'ok' ? '✓' : c.status === 'skipped' ? '–' : '✕'} {c.kind} on <code>{c.table}</code>{c.columns.length ? ` (${c.columns.join(', ')})` : ''} — {c.migration} line {c.line}: {c.detail}
              {c.samples.length > 0 && <div className="muted">e.g. {c.samples.slice(0, 3).join('; ')}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
