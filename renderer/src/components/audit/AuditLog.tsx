import { useEffect, useState } from 'react';
import type { AuditEntryDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';

/** Who ran what on the selected environment, when, and how it ended. */
export function AuditLog() {
  const { selectedEnv, statuses } = useApp();
  const [entries, setEntries] = useState<AuditEntryDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!selectedEnv) return;
    setEntries(null);
    call('audit/list', { env: selectedEnv }).then(setEntries, (err: Error) => setError(err.message));
  }, [selectedEnv, statuses]);
  return (
    <section className="audit" aria-label={`Audit log of ${selectedEnv}`} data-testid="audit-log">
      {error && <p className="error" role="alert">{error}</p>}
      {entries === null && !error && <p className="muted">Loading…</p>}
      {entries?.length === 0 && <p className="empty">Nothing has been run on {selectedEnv} through Godwit yet.</p>}
      {entries && entries.length > 0 && (
        <table>
          <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Result</th><th>Took</th><th>Migrations</th></tr></thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={i} className={e.result === 'failed' ? 'failed' : ''} title={e.error ?? ''}>
                <td>{new Date(e.at).toLocaleString()}</td><td>{e.osUser}@{e.host}</td><td>{e.action}</td><td>{e.result}{e.note ? <span className="muted"> — {e.note}</span> : null}</td>
                <td className="num">{Math.round(e.durationMs)} ms</td><td>{e.migrations.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
