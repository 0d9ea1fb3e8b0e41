import { useEffect, useState } from 'react';
import type { AuditEntryDto, MigrationStatusDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';

type As = 'applied' | 'rolled-back';

const WHAT: Record<As, { button: string; explain: string }> = {
  'rolled-back': {
    button: 'Mark as rolled back',
    explain: 'Use this once the database holds nothing of this migration (it was rolled back, or you undid what ran). It stays pending and the next upgrade runs it again.',
  },
  applied: {
    button: 'Mark as applied',
    explain: 'Use this once you have finished the migration by hand, so the database holds all of it. Nothing is run; it is recorded as applied.',
  },
};

/**
 * A migration that failed in the selected environment: its last error, when and by whom, and marking it rolled back
 * or applied after repairing the database — the app's `godwit resolve`, gated like a run (typed name when protected).
 */
export function SettleFailed({ env, migration }: { env: string; migration: MigrationStatusDto }) {
  const { project, refreshStatus } = useApp();
  const isProtected = project?.environments.find((e) => e.name === env)?.protected ?? false;
  const [attempt, setAttempt] = useState<AuditEntryDto | null | undefined>(undefined);
  const [choice, setChoice] = useState<As | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setAttempt(undefined);
    call('audit/list', { env }).then(
      (entries) => setAttempt(entries.find((e) => e.result === 'failed' && e.migrations.includes(migration.name)) ?? null),
      () => setAttempt(null),
    );
  }, [env, migration.name]);

  const settle = async () => {
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      await call('migrations/resolve', { env, name: migration.name, as: choice, confirm: isProtected ? typed : undefined });
      setChoice(null);
      await refreshStatus();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settle failure" aria-label={`${migration.name} failed in ${env}`} data-testid="settle-failed">
      <h3 className="error">Failed in {env}: every run there is blocked until it is settled</h3>
      {attempt && (
        <p data-testid="failed-attempt">
          Last attempt {new Date(attempt.at).toLocaleString()} by <strong>{attempt.osUser}@{attempt.host}</strong>, after {Math.round(attempt.durationMs)} ms.
        </p>
      )}
      {attempt === null && <p className="muted">No failed run of it is in {env}'s audit trail (it may have failed under the Prisma CLI).</p>}
      {(migration.logs || attempt?.error) && <pre className="psql failure-log" data-testid="failed-error">{migration.logs || attempt?.error}</pre>}
      <p>Repair the database first. Then record what it now holds:</p>
      <div className="actions">
        {(['rolled-back', 'applied'] as const).map((as) => (
          <button key={as} type="button" aria-pressed={choice === as} onClick={() => { setChoice(as); setTyped(''); }} data-testid={`settle-${as}`}>{WHAT[as].button}…</button>
        ))}
      </div>
      {choice && (
        <form className="form" onSubmit={(e) => { e.preventDefault(); void settle(); }} data-testid="settle-confirm">
          <p>{WHAT[choice].explain}</p>
          {isProtected && (
            <label>
              {env} is protected. Type its name to confirm:
              <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} data-testid="settle-name" />
            </label>
          )}
          <div className="actions">
            <button type="button" onClick={() => setChoice(null)}>Cancel</button>
            <button type="submit" className="danger" disabled={busy || (isProtected && typed !== env)} data-testid="settle-submit">
              {busy ? 'Recording…' : `${WHAT[choice].button} in ${env}`}
            </button>
          </div>
        </form>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
