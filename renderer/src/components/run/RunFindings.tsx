import type { PreviewDto } from '../../../../electron/shared/dto.ts';
import { RiskBadge } from '../analysis/StatementAnalysis.tsx';

const SHOWN = 12;

/**
 * The statements of the run that a DBA must look at — high or medium risk, with their locks and advice — lifted out
 * of the per-migration list so they are read first, however many migrations the run holds.
 */
export function RunFindings({ steps }: { steps: PreviewDto['steps'] }) {
  const found = steps.flatMap((st) => (st.analysis ?? []).filter((a) => a.risk === 'high' || a.risk === 'medium').map((a) => ({ step: st.name, a })));
  if (!found.length) return null;
  found.sort((x, y) => (x.a.risk === y.a.risk ? 0 : x.a.risk === 'high' ? -1 : 1));
  return (
    <section className="run-findings" aria-label="Risky statements" data-testid="run-findings" data-count={found.length}>
      <h3>{found.length} statement(s) to look at</h3>
      <ul className="plain">
        {found.slice(0, SHOWN).map(({ step, a }, i) => (
          <li key={i}>
            <RiskBadge risk={a.risk} /> <code>{step}</code> line {a.line}: {a.locks.map((l) => `${l.mode} on ${l.relation}`).join(', ') || 'no lock'}{a.rewrite ? ', rewrites the table' : a.scan ? ', scans the table' : ''}
            {a.riskReason && <span className="muted"> — {a.riskReason}</span>}
            {a.advice[0] && <div className="muted">{a.advice[0]}</div>}
          </li>
        ))}
      </ul>
      {found.length > SHOWN && <p className="muted">…and {found.length - SHOWN} more in the list below (open a migration to see its statements).</p>}
    </section>
  );
}
