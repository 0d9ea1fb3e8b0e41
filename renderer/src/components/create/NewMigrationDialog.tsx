import { useState } from 'react';
import type { NewMigrationDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { Modal } from '../common/Modal.tsx';
import { EditableReview } from './EditableReview.tsx';

/** Name → generate from schema.prisma (on a shadow database) → review up, down and warnings → save or discard. */
export function NewMigrationDialog() {
  const { selectedEnv, openDialog, setProject, refreshStatus, selectMigration } = useApp();
  const [name, setName] = useState('');
  const [result, setResult] = useState<NewMigrationDto | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => openDialog(null);
  const generate = async (empty: boolean) => {
    if (!selectedEnv) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await call('migrations/create', { env: selectedEnv, name, empty }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  // The review analyses the edited SQL first; an error here propagates to it, where it is shown.
  const save = async (upSql: string, downSql: string) => {
    if (!result) return;
    setProject(await call('migrations/saveNew', { name: result.name, upSql, downSql }));
    selectMigration(result.name);
    close();
    await refreshStatus();
  };
  return (
    <Modal open onClose={close} wide title="New migration" description="Generated from schema.prisma against the migration history, on a shadow database: no database is changed." testId="new-migration-dialog">
      <form className="form inline" onSubmit={(e) => { e.preventDefault(); void generate(false); }}>
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} placeholder="add_patient_notes" required aria-label="Migration name" /></label>
        <button type="submit" className="primary" disabled={busy || !name.trim()} data-testid="generate-migration">{busy ? 'Generating…' : 'Generate'}</button>
        <button type="button" disabled={busy || !name.trim()} onClick={() => void generate(true)}>Empty</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {result === null && <p className="muted" role="status">schema.prisma matches the migration history: there is nothing to generate.</p>}
      {result && <EditableReview key={result.name} result={result} onSave={save} onDiscard={() => setResult(undefined)} />}
    </Modal>
  );
}
