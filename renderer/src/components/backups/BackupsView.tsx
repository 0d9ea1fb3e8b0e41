import { useCallback, useEffect, useState } from 'react';
import type { BackupListDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { Modal } from '../common/Modal.tsx';
import { formatBytes } from '../analysis/format.ts';

type Backup = BackupListDto['backups'][number];

/** "column public.notes.body (DROP COLUMN)", as a DBA names what was destroyed. */
function what(b: Backup): string {
  const t = b.table ?? '?';
  switch (b.kind) {
    case 'drop-table': return `table ${t} (DROP TABLE)`;
    case 'truncate': return `table ${t} (TRUNCATE)`;
    case 'drop-column': return `column ${t}.${b.column} (DROP COLUMN)`;
    case 'alter-type': return `column ${t}.${b.column} (type change)`;
    case 'delete': return `rows of ${t} (DELETE)`;
    case 'update': return `values of ${t} (UPDATE)`;
    default: return `${b.kind} ${t}`;
  }
}

/** Whether a rollback of its migration puts this data back, in words. */
function restoreState(b: Backup): { text: string; tone: string } {
  if (b.kind === 'skipped') return { text: 'not copied (--no-backup)', tone: 'warn' };
  if (!b.attached) return { text: 'kept, detached: its migration was rolled back without restoring', tone: 'muted' };
  if (!b.restorable) return { text: `not restorable: ${b.note ?? 'see the CLI'}`, tone: 'danger' };
  return { text: 'restored by a rollback', tone: 'ok' };
}

/**
 * The data Godwit kept from destructive migrations on the selected environment (engine/backup): what, how much, how
 * old, and whether a rollback restores it; selected backups are dropped after a confirmation (the typed name on a
 * protected environment).
 */
export function BackupsView() {
  const { selectedEnv, project, statuses } = useApp();
  const [list, setList] = useState<BackupListDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const isProtected = project?.environments.find((e) => e.name === selectedEnv)?.protected ?? false;
  const load = useCallback(() => {
    if (!selectedEnv) return;
    setError(null);
    call('backups/list', { env: selectedEnv }).then((l) => {
      setList(l);
      setSelected((s) => new Set([...s].filter((id) => l.backups.some((b) => b.id === id))));
    }, (err: Error) => setError(err.message));
  }, [selectedEnv]);
  useEffect(() => {
    setList(null);
    setSelected(new Set());
    load();
  }, [load, statuses]);
  const backups = list?.environment === selectedEnv ? list.backups : null;
  const totalBytes = backups?.reduce((n, b) => n + b.bytes, 0) ?? 0;
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  return (
    <section className="backups" aria-label={`Backups of ${selectedEnv}`} data-testid="backups-view">
      <header className="backups-head">
        <h2>Backups on {selectedEnv}</h2>
        <p className="muted">
          What destructive migrations removed, copied in the same transaction into the <code>godwit</code> schema; rolling the
          migration back puts it back. Older than the environment's retention, they are dropped at the start of the next run.
        </p>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {backups === null && !error && <p className="muted">Loading…</p>}
      {backups?.length === 0 && <p className="empty" data-testid="backups-empty">No backups on {selectedEnv}: no destructive migration has run here through Godwit, or they were dropped.</p>}
      {backups && backups.length > 0 && (
        <>
          <div className="backups-toolbar">
            <span data-testid="backups-total">{backups.length} backup(s), {formatBytes(totalBytes)} in all</span>
            <span className="spacer" />
            <button type="button" className="danger" disabled={!selected.size} onClick={() => setConfirming(true)} data-testid="backups-drop">
              Drop {selected.size ? `${selected.size} selected` : 'selected'}
            </button>
          </div>
          <table className="backups-table" data-testid="backups-table">
            <thead>
              <tr><th scope="col"><span className="sr-only">Select</span></th><th scope="col">Migration</th><th scope="col">What</th><th scope="col" className="num">Rows</th><th scope="col" className="num">Size</th><th scope="col">Age</th><th scope="col">On rollback</th></tr>
            </thead>
            <tbody>
              {backups.map((b) => {
                const r = restoreState(b);
                return (
                  <tr key={b.id} data-testid="backup-row" data-id={b.id}>
                    <td><input type="checkbox" checked={selected.has(b.id)} onChange={() => toggle(b.id)} aria-label={`Select backup ${b.id} (${what(b)})`} /></td>
                    <td><code>{b.migration}</code></td>
                    <td>{what(b)}</td>
                    <td className="num">{b.rows.toLocaleString()}</td>
                    <td className="num">{formatBytes(b.bytes)}</td>
                    <td title={new Date(b.createdAt).toLocaleString()}>{b.ageDays < 1 ? 'today' : `${Math.floor(b.ageDays)} day(s)`}</td>
                    <td className={r.tone}>{r.text}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {confirming && selectedEnv && (
        <DropBackups env={selectedEnv} ids={[...selected]} isProtected={isProtected} onClose={(dropped) => {
          setConfirming(false);
          if (dropped) load();
        }} />
      )}
    </section>
  );
}

function DropBackups({ env, ids, isProtected, onClose }: { env: string; ids: string[]; isProtected: boolean; onClose(dropped: boolean): void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = !busy && (!isProtected || typed === env);
  const drop = async () => {
    setBusy(true);
    try {
      await call('backups/drop', { env, ids, confirm: isProtected ? typed : undefined });
      onClose(true);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Modal open onClose={() => !busy && onClose(false)} title={`Drop ${ids.length} backup(s) on ${env}`} testId="backups-drop-dialog"
      description="Their data is gone for good: rolling their migrations back will bring the structure back, empty."
      footer={(
        <>
          {isProtected && (
            <label className="confirm-name">
              {env} is protected. Type its name to confirm:
              <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Environment name" data-testid="backups-confirm-name" autoComplete="off" spellCheck={false} />
            </label>
          )}
          <span className="spacer" />
          <button type="button" onClick={() => onClose(false)} disabled={busy}>Cancel</button>
          <button type="button" className="danger" disabled={!ready} onClick={() => void drop()} data-testid="backups-drop-confirm">{busy ? 'Dropping…' : 'Drop for good'}</button>
        </>
      )}>
      {error && <p className="error" role="alert">{error}</p>}
      <ul>{ids.map((id) => <li key={id}><code>{id}</code></li>)}</ul>
    </Modal>
  );
}
