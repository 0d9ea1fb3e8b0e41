import type { PreviewDto } from '../../../../electron/shared/dto.ts';
import { formatBytes } from '../analysis/format.ts';

/** What the user chose about backups for this run (engine/backup): passed as is to migrations/apply or rollback. */
export interface BackupChoiceState {
  noBackup: boolean;
  allowLargeBackup: boolean;
  noRestore: boolean;
}

export const NO_CHOICES: BackupChoiceState = { noBackup: false, allowLargeBackup: false, noRestore: false };

/** Restore problems of a rollback, one line each with its migration. */
export function restoreProblems(preview: PreviewDto): string[] {
  return preview.steps.flatMap((s) => (s.backup?.problems ?? []).map((p) => `${s.name}: ${p}`));
}

/** Whether the run may start with these choices: a large copy accepted or skipped, unrestorable data accepted. */
export function backupsAllowRun(preview: PreviewDto | null, c: BackupChoiceState): boolean {
  if (!preview) return true;
  if (preview.direction === 'up') return !preview.backup?.overLimit || c.noBackup || c.allowLargeBackup;
  return !restoreProblems(preview).length || c.noRestore;
}

/**
 * Before an upgrade: how much data is copied before it is destroyed (so a rollback can put it back), against the
 * environment's limit, with the choice to skip it. Before a rollback: what is restored, and what cannot be.
 */
export function BackupChoices({ preview, choices, onChange }: { preview: PreviewDto; choices: BackupChoiceState; onChange(c: BackupChoiceState): void }) {
  if (preview.direction === 'up') {
    const total = preview.backup;
    const skipped = preview.steps.filter((s) => s.backup?.skipped).length;
    if (!total && !skipped) return null;
    return (
      <section className="backup-choices" aria-label="Backups" data-testid="backup-choices">
        {total && (
          <p className={total.overLimit ? 'warning' : ''} data-testid="backup-total">
            Before destroying data, Godwit copies it (~{total.rows.toLocaleString()} row(s), ~{formatBytes(total.bytes)}) into the <code>godwit</code> schema, in the same transaction, so a rollback puts it back.
            {total.overLimit && ` That is more than this environment's backup limit (${formatBytes(total.limitBytes)}).`}
          </p>
        )}
        {skipped > 0 && <p className="warning">{skipped} migration(s) run outside a transaction: what they destroy is not copied.</p>}
        {total && (
          <div className="backup-options">
            {total.overLimit && (
              <label className="check">
                <input type="checkbox" checked={choices.allowLargeBackup} disabled={choices.noBackup} onChange={(e) => onChange({ ...choices, allowLargeBackup: e.target.checked })} data-testid="allow-large-backup" />
                Copy it anyway ({formatBytes(total.bytes)})
              </label>
            )}
            <label className="check">
              <input type="checkbox" checked={choices.noBackup} onChange={(e) => onChange({ ...choices, noBackup: e.target.checked })} data-testid="no-backup" />
              Skip the copy: a rollback will bring the structure back, not the data (recorded in the audit trail)
            </label>
          </div>
        )}
      </section>
    );
  }
  const restores = preview.steps.reduce((n, s) => n + (s.backup?.restores.length ?? 0), 0);
  const inPlace = preview.steps.flatMap((s) => (s.backup?.restores ?? []).filter((r) => r.kind === 'alter-type' || r.kind === 'update'));
  const overwriting = inPlace.filter((r) => !r.comparesRows).length;
  const problems = restoreProblems(preview);
  if (!restores && !problems.length) return null;
  return (
    <section className="backup-choices" aria-label="Backups" data-testid="backup-choices">
      {restores > 0 && (
        <p data-testid="backup-restores">
          After each down.sql, Godwit restores the data its migration destroyed: {restores} backup(s), in the same transaction.
          {inPlace.length > overwriting && ' Values a type change or an UPDATE changed go back only into rows unchanged since the upgrade: rows written since keep their values.'}
        </p>
      )}
      {overwriting > 0 && <p className="warning" data-testid="backup-overwrites">{overwriting} backup(s) made before Godwit compared rows put every copied value back, over values written since the upgrade too.</p>}
      {problems.length > 0 && (
        <>
          <p className="error" role="alert">These backups cannot be restored, so the rollback will not start unless you roll back without restoring:</p>
          <ul className="error" data-testid="restore-problems">{problems.map((p) => <li key={p}>{p}</li>)}</ul>
          <label className="check">
            <input type="checkbox" checked={choices.noRestore} onChange={(e) => onChange({ ...choices, noRestore: e.target.checked })} data-testid="no-restore" />
            Roll back without restoring (the backups are kept, detached, in Backups)
          </label>
        </>
      )}
    </section>
  );
}
