import { useState } from 'react';
import type { AdoptedDriftDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { Modal } from '../common/Modal.tsx';
import { SqlView } from '../common/SqlView.tsx';

/**
 * Adopt drift: the hand-made change becomes a migration, written to the folder and marked applied on this
 * environment only (the others get it as pending). Confirmed like a run: a protected environment's name is typed.
 */
export function AdoptDriftDialog({ env, onClose }: { env: string; onClose(): void }) {
  const { project, refreshStatus, checkDrift } = useApp();
  const isProtected = project?.environments.find((e) => e.name === env)?.protected ?? false;
  const [name, setName] = useState('adopt drift');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [adopted, setAdopted] = useState<AdoptedDriftDto | null | undefined>(undefined);
  const can = !busy && adopted === undefined && name.trim() !== '' && (!isProtected || typed === env);
  const adopt = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await call('environments/adoptDrift', { env, name: name.trim(), ...(isProtected ? { confirm: typed } : {}) });
      setAdopted(result);
      await refreshStatus();
      await checkDrift(env);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const footer = (
    <>
      {isProtected && adopted === undefined && (
        <label className="confirm-name">
          {env} is protected. Type its name to confirm:
          <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Environment name" data-testid="adopt-confirm-name" autoComplete="off" spellCheck={false} />
        </label>
      )}
      <span className="spacer" />
      <button type="button" onClick={onClose}>{adopted === undefined ? 'Cancel' : 'Close'}</button>
      {adopted === undefined && <button type="button" className="primary" disabled={!can} onClick={() => void adopt()} data-testid="adopt-submit">{busy ? 'Adopting…' : 'Adopt drift'}</button>}
    </>
  );
  return (
    <Modal open onClose={onClose} title={`Adopt drift on ${env}`} description={`Writes the live change as a new migration and marks it applied on ${env} only; the other environments will see it pending.`} testId="adopt-drift-dialog" footer={footer}>
      {adopted === undefined && (
        <label className="field">Migration name
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Migration name" data-testid="adopt-name" />
        </label>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {adopted === null && <p role="status" data-testid="adopt-result">Nothing to adopt: {env} has no drift now.</p>}
      {adopted && (
        <>
          <p className="ok" role="status" data-testid="adopt-result">Wrote <code>{adopted.name}</code> and marked it applied on {env}.</p>
          <SqlView code={adopted.upSql} label="migration.sql" />
          <SqlView code={adopted.downSql} label="down.sql" />
        </>
      )}
    </Modal>
  );
}
