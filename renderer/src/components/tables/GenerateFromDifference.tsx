import { useEffect, useState } from 'react';
import type { NewMigrationDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { Modal } from '../common/Modal.tsx';
import { EditableReview } from '../create/EditableReview.tsx';
import type { TableRef } from './use-table-structure.ts';
import { MIGRATIONS_SIDE, sideLabel } from './side-label.ts';

/**
 * Name → tables/generateMigration → the new-migration review (editable, analysed again, destructive statements
 * flagged) → saved as a migration folder only on the user's Save. Nothing is run on any database.
 */
export function GenerateFromDifference({ table, a, b, onClose }: { table: TableRef; a: string; b: string; onClose(): void }) {
  const { setProject, selectMigration, refreshStatus, setView } = useApp();
  const [name, setName] = useState(a === MIGRATIONS_SIDE ? `adopt_${table.name}_from_${b}` : b === MIGRATIONS_SIDE ? `revert_${table.name}_drift_in_${a}` : `match_${table.name}_to_${b}`);
  const [result, setResult] = useState<NewMigrationDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await call('tables/generateMigration', { a, b, schema: table.schema, name: table.name, migrationName: name }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  // Opened from a button that already said what to generate: the review comes up at once, under a name it can change.
  useEffect(() => {
    void generate();
  }, []);
  const save = async (upSql: string, downSql: string) => {
    if (!result) return;
    setProject(await call('migrations/saveNew', { name: result.name, upSql, downSql }));
    onClose();
    selectMigration(result.name);
    setView('migrations');
    await refreshStatus();
  };
  return (
    <Modal
      open onClose={onClose} wide testId="table-migration-dialog"
      title={`Migration: make ${sideLabel(a)}'s ${table.schema}.${table.name} like ${sideLabel(b)}'s`}
      description={b === MIGRATIONS_SIDE
        ? <>Written from the catalog difference; nothing is run. Once saved it is pending in every environment: it undoes what was changed by hand in <strong>{a}</strong>, and elsewhere may find nothing to undo.</>
        : <>Written from the catalog difference; nothing is run. Once saved it is pending in every environment — in <strong>{b}</strong> the table already looks like this, so mark it applied there (godwit resolve) instead of running it.</>}
    >
      <form className="form inline" onSubmit={(e) => { e.preventDefault(); void generate(); }}>
        <label>Name<input value={name} onChange={(e) => setName(e.target.value)} required aria-label="Migration name" /></label>
        <button type="submit" className="primary" disabled={busy || !name.trim()} data-testid="generate-table-migration">{busy ? 'Generating…' : result ? 'Generate again' : 'Generate'}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {result && <EditableReview key={result.name} result={result} onSave={save} onDiscard={() => setResult(null)} />}
    </Modal>
  );
}
