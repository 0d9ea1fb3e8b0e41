import { useState } from 'react';
import type { PreviewDto } from '../../../../electron/shared/dto.ts';
import { SqlView } from '../common/SqlView.tsx';
import { RiskBadge, StatementAnalysis, worstRisk } from '../analysis/StatementAnalysis.tsx';

/** One migration of the confirmation list; its SQL view is only built when opened (a run may list thousands). */
function StepItem({ step, n }: { step: PreviewDto['steps'][number]; n: number }) {
  const [open, setOpen] = useState(false);
  return (
    <li value={n}>
      <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>
          <code>{step.name}</code> {step.transactional ? '' : <span className="badge warn">outside a transaction</span>}
          {step.warnings.length > 0 && <span className="badge danger">{step.warnings.length} destructive</span>}
          {step.unanalysed && <span className="badge danger" data-testid="unanalysed-badge">unanalysed</span>}
          <RiskBadge risk={worstRisk(step.analysis)} />
        </summary>
        {open && step.analysis && <StatementAnalysis statements={step.analysis} label={`Statements of ${step.name}`} />}
        {open && <SqlView code={step.sql} label={`${step.name} ${step.file}`} />}
      </details>
      {step.unanalysed && <p className="warning">Not analysed: the SQL parser refused it ({step.parseError}). Nothing was checked — no destructive-statement warnings, no transaction check.</p>}
      {step.warnings.map((w, i) => <p key={i} className="warning">Line {w.line}: {w.operation} — <code>{w.statement}</code></p>)}
      {step.backup && step.backup.lines.length > 0 && (
        <ul className="backup-lines" data-testid="step-backup">
          {step.backup.lines.map((l) => <li key={l} className={/^CANNOT|NOT RESTORABLE/.test(l) ? 'error' : 'muted'}>{l}</li>)}
        </ul>
      )}
    </li>
  );
}

const needsAttention = (s: PreviewDto['steps'][number]) => s.warnings.length > 0 || !s.transactional || s.unanalysed;

/** The migrations a run would execute, in order; a long list can be narrowed to the ones that need a look. */
export function StepList({ steps }: { steps: PreviewDto['steps'] }) {
  const [onlyAttention, setOnlyAttention] = useState(false);
  const flagged = steps.filter(needsAttention).length;
  const shown = onlyAttention ? steps.map((s, i) => [s, i] as const).filter(([s]) => needsAttention(s)) : steps.map((s, i) => [s, i] as const);
  return (
    <>
      {steps.length > 20 && flagged > 0 && (
        <label className="check attention-filter">
          <input type="checkbox" checked={onlyAttention} onChange={(e) => setOnlyAttention(e.target.checked)} data-testid="only-attention" />
          Show only the {flagged} migration(s) with destructive statements, statements outside a transaction or unanalysed SQL
        </label>
      )}
      <ol className="run-steps" aria-label="Migrations that would run" style={{ paddingLeft: `${String(steps.length).length + 2}ch` }}>
        {shown.map(([s, i]) => <StepItem key={s.name} step={s} n={i + 1} />)}
      </ol>
    </>
  );
}
