import { useApp } from '../../store/index.ts';
import { LockIcon } from '../common/LockIcon.tsx';
import { DriftBanner } from './DriftBanner.tsx';

/** Upgrade and rollback of the selected environment: to head, one step back, back to base, and the SQL preview. */
export function RunToolbar() {
  const { selectedEnv, statuses, openRun, openDialog, project, checkDrift, driftChecking } = useApp();
  const s = selectedEnv ? statuses[selectedEnv] : undefined;
  const env = project?.environments.find((e) => e.name === selectedEnv);
  if (!selectedEnv || !env) return null;
  const pending = s ? s.summary.pending + s.summary.rolledBack : 0;
  return (
    <div className="run-toolbar" aria-label={`Actions on ${selectedEnv}`}>
      <strong>{env.protected && <LockIcon />}{selectedEnv}</strong>
      <span className="muted">{s?.head ? `at ${s.head}` : 'at base'}</span>
      <button type="button" className="primary" disabled={!pending} onClick={() => void openRun(selectedEnv, { direction: 'up' })} data-testid="upgrade-head">Upgrade to head{pending ? ` (${pending})` : ''}</button>
      <button type="button" disabled={!s?.head} onClick={() => void openRun(selectedEnv, { direction: 'down', steps: 1 })} data-testid="rollback-one">One step back</button>
      <button type="button" disabled={!s?.head} onClick={() => void openRun(selectedEnv, { direction: 'down', base: true })}>Back to base</button>
      <button type="button" onClick={() => openDialog({ kind: 'preview' })} data-testid="preview-pending">Preview pending SQL</button>
      <button type="button" onClick={() => openDialog('new-migration')} data-testid="new-migration">New migration</button>
      <button type="button" onClick={() => void checkDrift(selectedEnv)} disabled={driftChecking !== null} data-testid="check-drift">
        {driftChecking === selectedEnv ? 'Checking drift…' : 'Check drift'}
      </button>
      {s?.drift && <DriftBanner drifted={s.drift.drifted} sql={s.drift.reconcileSql} />}
    </div>
  );
}
