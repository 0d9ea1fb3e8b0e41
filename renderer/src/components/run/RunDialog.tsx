import { useState } from 'react';
import { useApp } from '../../store/index.ts';
import type { RunDialogState } from '../../store/run-slice.ts';
import { Modal } from '../common/Modal.tsx';
import { SqlView } from '../common/SqlView.tsx';
import { countRun, RunSummary } from './RunSummary.tsx';
import { RunLog, RunProgress } from './RunLog.tsx';
import { StepList } from './StepList.tsx';
import { LARGE_ROLLBACK } from './run-gates.ts';
import { FailureOutcome } from './FailureOutcome.tsx';
import { RunFindings } from './RunFindings.tsx';
import { BackupChoices, backupsAllowRun, NO_CHOICES, type BackupChoiceState } from './BackupChoices.tsx';
import { PreflightPanel, preflightFindings } from '../analysis/PreflightPanel.tsx';
import { RehearsePanel } from '../analysis/RehearsePanel.tsx';
import type { PreflightDto } from '../../../../electron/shared/dto.ts';

/** Why the environment's name must be typed for this run, or null when a click is enough. */
function typedNameReason(run: RunDialogState, isProtected: boolean, unanalysed: number): string | null {
  const steps = run.preview?.steps.length ?? 0;
  if (isProtected) return `${run.env} is protected. Type its name to confirm:`;
  if (unanalysed) return `${unanalysed} migration(s) could not be analysed. Type ${run.env} to confirm:`;
  if (run.target.direction === 'down' && run.target.base) return `This rolls ${run.env} back to base, undoing every migration. Type ${run.env} to confirm:`;
  if (run.target.direction === 'down' && steps > LARGE_ROLLBACK) return `This rolls back ${steps} migrations (more than ${LARGE_ROLLBACK}). Type ${run.env} to confirm:`;
  return null;
}

function describe(run: RunDialogState, verb: string): string {
  const n = run.preview?.steps.length ?? 0;
  switch (run.phase) {
    case 'running': return `${verb === 'Upgrade' ? 'Upgrading' : 'Rolling back'} ${run.env}: ${run.progress.done.toLocaleString()} of ${run.progress.total.toLocaleString()} done.${run.stop ? ' Stopping after the current migration…' : ''}`;
    case 'done':
      if (run.stop?.remaining) return `Stopped as asked. ${run.env} is now at ${run.headAfter ?? 'base'}; ${run.stop.remaining.toLocaleString()} migration(s) were not run.`;
      return `Done. ${run.env} is now at ${run.headAfter ?? 'base'}.`;
    case 'failed': return `Stopped at ${run.failure?.migration ?? 'an error'}. ${run.env} is now at ${run.headAfter === undefined ? '…' : (run.headAfter ?? 'base')}.`;
    default:
      if (run.previewError) return 'This run cannot be planned.';
      if (!run.preview) return 'Working out what would run…';
      return `${n.toLocaleString()} migration(s) would ${run.target.direction === 'up' ? 'run' : 'be rolled back'} on ${run.env}, in this order. Nothing runs until you confirm.`;
  }
}

/**
 * Confirmation, progress and outcome of an upgrade or rollback. The summary and the footer (typed name, confirm
 * button) stay in view however many migrations the list holds; on failure the failing statement is highlighted.
 */
export function RunDialog() {
  const { run, startRun, stopRun, closeRun, project, statuses } = useApp();
  const [typed, setTyped] = useState('');
  const [preflight, setPreflight] = useState<PreflightDto | null>(null);
  const [choices, setChoices] = useState<BackupChoiceState>(NO_CHOICES);
  const [ignoreBlockers, setIgnoreBlockers] = useState(false);
  if (!run) return null;
  const env = project?.environments.find((e) => e.name === run.env);
  const status = statuses[run.env];
  const isProtected = env?.protected ?? false;
  const verb = run.target.direction === 'up' ? 'Upgrade' : 'Roll back';
  const steps = run.preview?.steps ?? [];
  const counts = run.preview ? countRun(run.preview, project) : null;
  const nameReason = typedNameReason(run, isProtected, counts?.unanalysed ?? 0);
  const canConfirm = run.phase === 'confirm' && steps.length > 0 && (!nameReason || typed === run.env) && backupsAllowRun(run.preview, choices);
  const dangerous = !!counts && (counts.destructive > 0 || counts.unanalysed > 0 || run.target.direction === 'down');
  const close = () => {
    setTyped('');
    setPreflight(null);
    setChoices(NO_CHOICES);
    setIgnoreBlockers(false);
    closeRun();
  };
  const failedStep = run.failure ? steps.find((s) => s.name === run.failure!.migration) : undefined;

  const footer = (
    <>
      {run.phase === 'confirm' && isProtected && steps.length > 0 && <ProtectedFindings preflight={preflight} preview={run.preview} />}
      {run.phase === 'confirm' && isProtected && (preflight?.blockers.length ?? 0) > 0 && (
        <label className="check ignore-blockers">
          <input type="checkbox" checked={ignoreBlockers} onChange={(e) => setIgnoreBlockers(e.target.checked)} data-testid="ignore-blockers" />
          Run despite the blocking session(s): each statement still gives up after the lock timeout
        </label>
      )}
      {run.phase === 'confirm' && nameReason && steps.length > 0 && (
        <label className="confirm-name">
          {nameReason}
          <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Environment name" data-testid="confirm-name" autoComplete="off" spellCheck={false} />
        </label>
      )}
      <span className="spacer" />
      {run.phase === 'running' && <span className="muted" role="status">{run.stop ? 'Stopping after the current migration: it finishes and commits, nothing more starts.' : 'Running… the dialog stays open until the run ends.'}</span>}
      {run.phase === 'running' && (
        <button type="button" onClick={() => void stopRun()} disabled={!!run.stop} data-testid="stop-run" title="The migration running now finishes and commits (quick ones sent together finish together); nothing after it starts.">
          {run.stop ? 'Stopping…' : 'Stop after the current migration'}
        </button>
      )}
      <button type="button" onClick={close} disabled={run.phase === 'running'}>{run.phase === 'confirm' ? 'Cancel' : 'Close'}</button>
      {run.phase === 'confirm' && !run.previewError && (run.preview === null || steps.length > 0) && (
        <button type="button" className={dangerous ? 'danger' : 'primary'} disabled={!canConfirm} onClick={() => void startRun(nameReason ? typed : undefined, choices, ignoreBlockers)} data-testid="confirm-run">
          {run.preview ? `${verb} ${steps.length.toLocaleString()} migration(s)` : 'Working out…'}
        </button>
      )}
    </>
  );

  return (
    <Modal open onClose={() => run.phase !== 'running' && close()} wide title={`${verb} ${run.env}`} description={describe(run, verb)} testId="run-dialog" footer={footer}>
      {run.previewError && <p className="error" role="alert">{run.previewError}</p>}
      {run.phase === 'confirm' && run.preview && steps.length === 0 && <p>Nothing to do: {run.env} is already there.</p>}
      {run.preview && counts && steps.length > 0 && <RunSummary env={env} status={status} preview={run.preview} counts={counts} planning={run.phase === 'confirm'} />}
      {run.phase === 'confirm' && steps.length > 0 && (
        <>
          <RunFindings steps={steps} />
          {run.preview && <BackupChoices preview={run.preview} choices={choices} onChange={setChoices} />}
          <PreflightPanel key={run.runId} env={run.env} target={run.target} onResult={setPreflight} />
          {run.target.direction === 'up' && !run.target.to && <RehearsePanel env={run.env} />}
          <StepList steps={steps} />
        </>
      )}
      {run.phase !== 'confirm' && (
        <>
          <RunProgress done={run.progress.done} total={run.progress.total} phase={run.phase} />
          <RunLog log={run.log} />
        </>
      )}
      {run.phase === 'done' && (
        <p className="ok" role="status" data-testid="run-done" data-stopped={run.stop?.remaining ? 'yes' : 'no'}>
          {run.stop?.remaining ? 'Stopped as asked: ' : 'Done: '}{run.log.filter((l) => l.status === 'done').length} migration(s) {run.target.direction === 'up' ? 'applied' : 'rolled back'}
          {run.stop?.remaining ? `; ${run.stop.remaining.toLocaleString()} not run. Run again to continue.` : '.'}
        </p>
      )}
      {run.phase === 'failed' && (
        <div className="failure" role="alert" data-testid="run-failed">
          {run.failure ? (
            <>
              <p className="error"><strong>{run.failure.migration}/{run.failure.file}</strong> failed {run.failure.statementIndex > 0 ? `at statement ${run.failure.statementIndex}, line ${run.failure.line}` : 'while running (no single statement is to blame)'}{run.failure.error.code ? ` (SQLSTATE ${run.failure.error.code})` : ''}: {run.failure.error.message}</p>
              <FailureOutcome failure={run.failure} />
              {failedStep ? <SqlView code={failedStep.sql} highlightLines={[run.failure.line]} label="failing script" /> : <pre>{run.failure.statement}</pre>}
              {run.failure.error.detail && <p className="muted">Detail: {run.failure.error.detail}</p>}
              {run.failure.error.hint && <p className="muted">Hint: {run.failure.error.hint}</p>}
            </>
          ) : <p className="error">{run.error}</p>}
        </div>
      )}
    </Modal>
  );
}

/** On a protected environment, what the checks found, right above the typed name: read before typing. */
function ProtectedFindings({ preflight, preview }: { preflight: PreflightDto | null; preview: RunDialogState['preview'] }) {
  const risky = preview?.steps.flatMap((s) => s.analysis ?? []).filter((a) => a.risk === 'high').length ?? 0;
  const f = preflight ? preflightFindings(preflight) : null;
  const clear = f && !f.blockers && !f.failingChecks && !risky;
  return (
    <p className={`protected-findings ${clear ? 'ok' : 'error'}`} data-testid="protected-findings">
      {!f ? 'Pre-flight still checking…' : clear ? 'Pre-flight clear and no high-risk statement.' : `Before you type: ${f.blockers} blocking session(s), ${f.failingChecks} failing data check(s), ${risky} high-risk statement(s) (details above).`}
    </p>
  );
}
