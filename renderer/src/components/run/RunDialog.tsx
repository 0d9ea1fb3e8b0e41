import { useState } from 'react';
import type { PreviewDto } from '../../../../electron/shared/dto.ts';
import { useApp } from '../../store/index.ts';
import { Modal } from '../common/Modal.tsx';
import { SqlView } from '../common/SqlView.tsx';

/** One migration of the confirmation list; its SQL view is only built when opened (a run may list thousands). */
function StepItem({ step }: { step: PreviewDto['steps'][number] }) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>
          <code>{step.name}</code> {step.transactional ? '' : <span className="badge warn">outside a transaction</span>}
          {step.warnings.length > 0 && <span className="badge danger">{step.warnings.length} destructive</span>}
          {step.unanalysed && <span className="badge danger" data-testid="unanalysed-badge">unanalysed</span>}
        </summary>
        {open && <SqlView code={step.sql} label={`${step.name} ${step.file}`} />}
      </details>
      {step.unanalysed && <p className="warning">Not analysed: the SQL parser refused it ({step.parseError}). Nothing was checked — no destructive-statement warnings, no transaction check.</p>}
      {step.warnings.map((w, i) => <p key={i} className="warning">Line {w.line}: {w.operation} — <code>{w.statement}</code></p>)}
    </li>
  );
}

/**
 * Confirmation, progress and outcome of an upgrade or rollback. On a protected environment the confirm button stays
 * disabled until the environment's name is typed exactly; on failure the failing statement is highlighted.
 */
export function RunDialog() {
  const { run, startRun, closeRun, project } = useApp();
  const [typed, setTyped] = useState('');
  if (!run) return null;
  const env = project?.environments.find((e) => e.name === run.env);
  const isProtected = env?.protected ?? false;
  const verb = run.target.direction === 'up' ? 'Upgrade' : 'Roll back';
  const steps = run.preview?.steps ?? [];
  // A migration the parser could not analyse needs the typed name on any environment (the engine enforces it too).
  const unanalysed = steps.filter((s) => s.unanalysed).length;
  const needsName = isProtected || unanalysed > 0;
  const canConfirm = run.phase === 'confirm' && steps.length > 0 && (!needsName || typed === run.env);
  const close = () => {
    setTyped('');
    closeRun();
  };
  const failedStep = run.failure ? steps.find((s) => s.name === run.failure!.migration) : undefined;

  return (
    <Modal open onClose={close} wide title={`${verb} ${run.env}`} description={run.preview ? `${steps.length} migration(s); head afterwards: ${run.preview.headAfter ?? 'base'}` : 'Working out what would run…'} testId="run-dialog">
      {run.previewError && <p className="error" role="alert">{run.previewError}</p>}
      {run.phase === 'confirm' && run.preview && steps.length === 0 && <p>Nothing to do: {run.env} is already there.</p>}
      {run.phase === 'confirm' && steps.length > 0 && (
        <ol className="run-steps">
          {steps.map((s) => <StepItem key={s.name} step={s} />)}
        </ol>
      )}
      {run.phase !== 'confirm' && (
        <ol className="run-log" aria-live="polite" data-testid="run-log">
          {run.log.map((l) => (
            <li key={l.name} className={`log-${l.status}`}>
              {l.status === 'done' ? '✓' : l.status === 'failed' ? '✕' : '…'} {l.name}{l.durationMs !== undefined ? ` (${Math.round(l.durationMs)} ms)` : ''}
            </li>
          ))}
        </ol>
      )}
      {run.phase === 'done' && <p className="ok" role="status" data-testid="run-done">Done: {run.log.filter((l) => l.status === 'done').length} migration(s) {run.target.direction === 'up' ? 'applied' : 'rolled back'}.</p>}
      {run.phase === 'failed' && (
        <div className="failure" role="alert" data-testid="run-failed">
          <p className="error">{run.error}</p>
          {run.failure && (
            <>
              <p>
                {run.failure.rolledBack
                  ? `${run.failure.migration} was rolled back: the database was left unchanged by it. Migrations before it stay applied.`
                  : `${run.failure.migration} ran outside a transaction: statements before the failing one stay applied.`}
              </p>
              <p>Failing statement {run.failure.statementIndex}, line {run.failure.line} of {run.failure.file}{run.failure.error.code ? ` (SQLSTATE ${run.failure.error.code})` : ''}:</p>
              {failedStep ? <SqlView code={failedStep.sql} highlightLines={[run.failure.line]} label="failing script" /> : <pre>{run.failure.statement}</pre>}
              {run.failure.error.hint && <p className="muted">Hint: {run.failure.error.hint}</p>}
            </>
          )}
        </div>
      )}
      <div className="actions">
        {run.phase === 'confirm' && needsName && steps.length > 0 && (
          <label className="confirm-name">
            {isProtected ? `${run.env} is protected. Type its name to confirm:` : `${unanalysed} migration(s) could not be analysed. Type ${run.env} to confirm:`}
            <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Environment name" data-testid="confirm-name" autoComplete="off" />
          </label>
        )}
        <span className="spacer" />
        <button type="button" onClick={close}>{run.phase === 'confirm' ? 'Cancel' : 'Close'}</button>
        {run.phase === 'confirm' && (
          <button type="button" className={steps.some((s) => s.warnings.length || s.unanalysed) || run.target.direction === 'down' ? 'danger' : 'primary'} disabled={!canConfirm} onClick={() => void startRun(needsName ? typed : undefined)} data-testid="confirm-run">
            {verb} {steps.length} migration(s)
          </button>
        )}
        {run.phase === 'running' && <span className="muted">Running…</span>}
      </div>
    </Modal>
  );
}
