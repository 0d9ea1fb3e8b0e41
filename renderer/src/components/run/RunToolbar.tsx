import { useApp } from '../../store/index.ts';
import { LockIcon } from '../common/LockIcon.tsx';
import { GatedButton } from '../common/GatedButton.tsx';
import { DriftBanner } from './DriftBanner.tsx';
import { environmentGate, readGate, rollbackGate, upgradeGate } from './run-gates.ts';

/** Upgrade and rollback of the selected environment: to head, one step back, back to base, and the SQL preview. */
export function RunToolbar() {
  const { selectedEnv, statuses, openRun, openDialog, project, checkDrift, driftChecking, driftAt } = useApp();
  const s = selectedEnv ? statuses[selectedEnv] : undefined;
  const env = project?.environments.find((e) => e.name === selectedEnv);
  if (!selectedEnv || !env) return null;
  const pending = s && !s.error ? s.summary.pending + s.summary.rolledBack : 0;
  const read = readGate(selectedEnv, s, env.error);
  const where = env.error || s?.error ? 'unreachable' : !s ? 'loading…' : s.head ? `at ${s.head}` : 'at base';
  return (
    <div className="run-toolbar" role="toolbar" aria-label={`Actions on ${selectedEnv}`}>
      <strong>{env.protected && <LockIcon />}{selectedEnv}</strong>
      <span className="muted toolbar-head" data-testid="toolbar-head" title={where}>{where}</span>
      <GatedButton className="primary" gate={upgradeGate(selectedEnv, s, undefined, env.error)} onClick={() => void openRun(selectedEnv, { direction: 'up' })} testId="upgrade-head">
        Upgrade to head{pending ? ` (${pending})` : ''}
      </GatedButton>
      <GatedButton gate={rollbackGate(selectedEnv, s, { steps: 1 }, env.error)} onClick={() => void openRun(selectedEnv, { direction: 'down', steps: 1 })} testId="rollback-one">One step back</GatedButton>
      <GatedButton gate={rollbackGate(selectedEnv, s, { base: true }, env.error)} onClick={() => void openRun(selectedEnv, { direction: 'down', base: true })} testId="rollback-base">Back to base</GatedButton>
      <GatedButton gate={read} onClick={() => openDialog({ kind: 'preview' })} testId="preview-pending">Preview pending SQL</GatedButton>
      <GatedButton gate={read} onClick={() => openDialog('new-migration')} testId="new-migration">New migration</GatedButton>
      <GatedButton gate={driftChecking !== null ? { ok: false, reason: `Checking drift on ${driftChecking}…` } : read} onClick={() => void checkDrift(selectedEnv)} testId="check-drift">
        {driftChecking === selectedEnv ? 'Checking drift…' : 'Check drift'}
      </GatedButton>
      {s?.drift && <DriftBanner env={selectedEnv} drift={s.drift} summary={s.summary} at={driftAt[selectedEnv]} adoptGate={environmentGate(selectedEnv, s, env.error)} />}
    </div>
  );
}
