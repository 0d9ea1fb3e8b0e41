import { useEffect, useState } from 'react';
import type { PreviewDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { Modal } from '../common/Modal.tsx';
import { SqlView } from '../common/SqlView.tsx';

/** The full script an upgrade (or rollback) of the selected environment would run, to copy or save as .sql. */
export function PreviewDialog() {
  const { selectedEnv, openDialog, selectedMigration } = useApp();
  const [direction, setDirection] = useState<'up' | 'down'>('up');
  const [toHere, setToHere] = useState(false);
  const [preview, setPreview] = useState<PreviewDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The script last copied: "Copied" shows only while the same script is on screen.
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    if (!selectedEnv) return;
    setPreview(null);
    setError(null);
    const to = toHere && selectedMigration ? selectedMigration : undefined;
    call('migrations/preview', direction === 'up' ? { env: selectedEnv, direction, to } : { env: selectedEnv, direction, ...(to ? { to } : { steps: 1 }) })
      .then(setPreview, (err: Error) => setError(err.message));
  }, [selectedEnv, direction, toHere, selectedMigration]);

  const save = () => {
    if (!preview) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([preview.sql], { type: 'application/sql' }));
    a.download = `godwit-${preview.environment}-${preview.direction}.sql`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <Modal open onClose={() => openDialog(null)} wide title={`SQL preview — ${selectedEnv}`} description="Exactly what would run, in order, with per-migration headers and warnings." testId="preview-dialog">
      <div className="actions">
        <select aria-label="Direction" value={direction} onChange={(e) => setDirection(e.target.value as 'up' | 'down')}>
          <option value="up">Upgrade</option>
          <option value="down">Rollback</option>
        </select>
        <label className="check"><input type="checkbox" checked={toHere} disabled={!selectedMigration} onChange={(e) => setToHere(e.target.checked)} /> to the selected migration</label>
        <span className="spacer" />
        <button type="button" disabled={!preview} data-testid="copy-sql" onClick={() => { const sql = preview!.sql; void navigator.clipboard.writeText(sql).then(() => setCopied(sql)); }}>{preview && copied === preview.sql ? 'Copied' : 'Copy'}</button>
        <button type="button" disabled={!preview} onClick={save}>Save as .sql</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {!preview && !error && <p className="muted">Loading…</p>}
      {preview?.steps.some((s) => s.unanalysed) && (
        <p className="warning" data-testid="preview-unanalysed">
          Unanalysed (the SQL parser refused them; no warnings, no transaction check): {preview.steps.filter((s) => s.unanalysed).map((s) => `${s.name}/${s.file}`).join(', ')}.
        </p>
      )}
      {preview && <SqlView code={preview.sql} label="preview" />}
    </Modal>
  );
}
