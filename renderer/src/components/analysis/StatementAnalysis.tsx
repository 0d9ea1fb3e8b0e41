import type { StatementAnalysisDto } from '../../../../electron/shared/dto.ts';
import { formatBytes } from './format.ts';


export function RiskBadge({ risk }: { risk: StatementAnalysisDto['risk'] }) {
  if (!risk) return null;
  return <span className={`badge risk-${risk}`} data-testid="risk-badge">{risk} risk</span>;
}

/** The strongest risk of a script's statements, for the one-line summary of a migration. */
export function worstRisk(list: StatementAnalysisDto[] | undefined): StatementAnalysisDto['risk'] {
  const order = ['low', 'medium', 'high'] as const;
  return (list ?? []).reduce<StatementAnalysisDto['risk']>((w, s) => (s.risk && (!w || order.indexOf(s.risk) > order.indexOf(w)) ? s.risk : w), undefined);
}

function Locks({ s }: { s: StatementAnalysisDto }) {
  if (!s.locks.length) return <span className="muted">none</span>;
  return (
    <ul className="plain">
      {s.locks.map((l, i) => (
        <li key={i}><code>{l.mode}</code> on <code>{l.relation}</code>{l.createdByPlan ? <span className="muted"> (created by this run)</span> : null}</li>
      ))}
    </ul>
  );
}

/** Rows and size of each locked relation on this environment (from its statistics), when they were read. */
function Sizes({ s }: { s: StatementAnalysisDto }) {
  const known = s.locks.filter((l) => l.stats);
  if (!known.length) return <span className="muted">—</span>;
  return (
    <ul className="plain">
      {known.map((l, i) => (
        <li key={i}>{l.stats!.rows === null ? 'rows unknown' : `${l.stats!.rows.toLocaleString()} rows`} · {formatBytes(l.stats!.sizeBytes)}{(l.stats!.opsPerSecond ?? 0) >= 0.5 ? ` · ${Math.round(l.stats!.opsPerSecond!)} writes/s` : ''}</li>
      ))}
    </ul>
  );
}

/**
 * Per statement: the locks it takes, whether it rewrites or scans the table, how big that table is on this
 * environment, the risk that follows, and what to do instead. The one analysis result the engine computes.
 */
export function StatementAnalysis({ statements, label }: { statements: StatementAnalysisDto[]; label: string }) {
  if (!statements.length) return <p className="muted">No statements to analyse.</p>;
  return (
    <div className="table-scroll">
      <table className="analysis" aria-label={label} data-testid="statement-analysis">
        <thead>
          <tr><th scope="col">Line</th><th scope="col">Statement</th><th scope="col">Locks</th><th scope="col">Rewrite / scan</th><th scope="col">Rows · size here</th><th scope="col">Risk</th><th scope="col">Advice</th></tr>
        </thead>
        <tbody>
          {statements.map((s, i) => (
            <tr key={i} data-line={s.line} data-risk={s.risk ?? ''}>
              <td data-label="Line" className="num">{s.line}</td>
              <td data-label="Statement"><code className="stmt" title={s.text}>{s.text.length > 120 ? `${s.text.slice(0, 120)}…` : s.text}</code></td>
              <td data-label="Locks"><Locks s={s} /></td>
              <td data-label="Rewrite / scan">{s.rewrite ? <strong className="warning">rewrites the table</strong> : s.scan ? <span className="warning">scans the table</span> : <span className="muted">no</span>}</td>
              <td data-label="Rows · size here"><Sizes s={s} /></td>
              <td data-label="Risk"><RiskBadge risk={s.risk} />{s.riskReason && <div className="muted small">{s.riskReason}</div>}</td>
              <td data-label="Advice">
                {s.warnings.map((w, k) => <div key={`w${k}`} className="warning">{w}</div>)}
                {s.advice.map((a, k) => <div key={`a${k}`}>{a}</div>)}
                {!s.warnings.length && !s.advice.length && <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
