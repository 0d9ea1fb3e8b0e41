import { useState } from 'react';
import type { EnvironmentStatusDto } from '../../../../electron/shared/dto.ts';
import { SqlView } from '../common/SqlView.tsx';
import { GatedButton } from '../common/GatedButton.tsx';
import { groupByKind, KindGroups } from '../drift/KindGroups.tsx';
import { AdoptDriftDialog } from '../drift/AdoptDrift.tsx';
import type { Gate } from './run-gates.ts';
import { driftCaveat } from '../../../../electron/shared/drift-caveat.ts';

type Drift = NonNullable<EnvironmentStatusDto['drift']>;

/**
 * Whether the live schema matches what its applied migrations produce. When it does not: each difference by kind
 * (live beside expected, with the SQL that reconciles it), the whole reconcile script, and "Adopt drift" — which
 * writes the change as a migration — gated like a run.
 */
export function DriftBanner({ env, drift, summary, at, adoptGate }: { env: string; drift: Drift; summary?: EnvironmentStatusDto['summary'] | undefined; at?: number | undefined; adoptGate: Gate }) {
  const [open, setOpen] = useState(false);
  const [showSql, setShowSql] = useState(false);
  const [adopting, setAdopting] = useState(false);
  // Kept across refreshes until checked again, so it says when it was true.
  const when = at ? <span className="muted"> (checked {new Date(at).toLocaleTimeString()})</span> : null;
  if (!drift.drifted) return <span className="ok" role="status" data-testid="drift-result">No drift: the live schema matches the applied migrations.{when}</span>;
  const groups = drift.byKind ?? groupByKind(drift.differences ?? []);
  const count = groups.reduce((n, g) => n + g.items.length, 0);
  const kinds = groups.map((g) => `${g.items.length} ${g.kind}`).join(', ');
  const caveat = summary ? driftCaveat(summary) : null;
  return (
    <>
      <span className="drift" role="status" data-testid="drift-result" data-count={count}>
        <span className="error">Drift: the live schema differs from the applied migrations{count ? ` (${kinds})` : ''}.{when}</span>{' '}
        {count > 0 && <><button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="drift-toggle">{open ? 'Hide' : 'Show'} the differences</button>{' '}</>}
        {drift.reconcileSql && <><button type="button" className="link" aria-expanded={showSql} onClick={() => setShowSql(!showSql)}>{showSql ? 'Hide' : 'Show'} the SQL that would reconcile it</button>{' '}</>}
        <GatedButton gate={adoptGate} onClick={() => setAdopting(true)} testId="adopt-drift">Adopt drift…</GatedButton>
        {caveat && <span className="warning" data-testid="drift-caveat"> {caveat}</span>}
      </span>
      {open && (
        <div className="drift-details" data-testid="drift-details">
          {(
            <KindGroups
              groups={groups}
              left={`live on ${env}`}
              right="expected from the migrations"
              testId="drift-groups"
              item={(d) => ({ name: d.table && !d.name.includes('.') ? `${d.table}.${d.name}` : d.name, a: d.live, b: d.expected, extra: d.sql ? <SqlView code={d.sql} label={`SQL for ${d.name}`} /> : null })}
            />
          )}
        </div>
      )}
      {showSql && drift.reconcileSql && <div className="drift-details"><SqlView code={drift.reconcileSql} label="reconcile" /></div>}
      {adopting && <AdoptDriftDialog env={env} onClose={() => setAdopting(false)} />}
    </>
  );
}
