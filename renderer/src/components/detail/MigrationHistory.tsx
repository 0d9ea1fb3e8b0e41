import { useEffect, useState } from 'react';
import type { AuditEntryDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';

type Row = AuditEntryDto & { ofRun: number };

/**
 * Everything that happened to this migration in every environment — applied, rolled back, failed attempts, marked
 * by hand — who, when and how long, read from each environment's audit trail, newest first.
 */
export function MigrationHistory({ name }: { name: string }) {
  const { project, statusAsOf } = useApp();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [unreadable, setUnreadable] = useState<string[]>([]);
  const envs = project?.environments.filter((e) => !e.error).map((e) => e.name) ?? [];
  useEffect(() => {
    let live = true;
    setRows(null);
    void Promise.all(envs.map((env) => call('audit/list', { env }).then((list) => ({ env, list }), () => ({ env, list: null })))).then((all) => {
      if (!live) return;
      setUnreadable(all.filter((a) => a.list === null).map((a) => a.env));
      const found = all.flatMap((a) => (a.list ?? []).filter((e) => e.migrations.includes(name)).map((e) => ({ ...e, ofRun: e.migrations.length })));
      setRows(found.sort((x, y) => y.at.localeCompare(x.at)));
    });
    return () => {
      live = false;
    };
  }, [name, envs.join(','), statusAsOf]);
  return (
    <section className="migration-history" aria-label={`History of ${name}`} data-testid="migration-history" data-state={rows ? 'done' : 'loading'}>
      <h3>History across environments</h3>
      {!rows && <p className="muted" role="status">Reading the audit trails…</p>}
      {rows && rows.length === 0 && <p className="muted">No run in any environment's audit trail touched it.</p>}
      {rows && rows.length > 0 && (
        <table className="env-table">
          <thead><tr><th scope="col">When</th><th scope="col">Environment</th><th scope="col">What</th><th scope="col">Result</th><th scope="col">Who</th><th scope="col">Run took</th></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-env={r.environment} data-action={r.action} data-result={r.result}>
                <td>{new Date(r.at).toLocaleString()}</td>
                <td>{r.environment}</td>
                <td>{r.action}{r.ofRun > 1 ? <span className="muted"> (1 of {r.ofRun})</span> : null}</td>
                <td className={r.result === 'failed' ? 'error' : ''}>{r.result}{r.error ? `: ${r.error.length > 140 ? `${r.error.slice(0, 140)}…` : r.error}` : ''}</td>
                <td>{r.osUser}@{r.host}</td>
                <td className="num">{r.durationMs.toLocaleString()} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {unreadable.length > 0 && <p className="muted">Not read (unreachable): {unreadable.join(', ')}.</p>}
    </section>
  );
}
