import { useState } from 'react';
import { SqlView } from '../common/SqlView.tsx';

/** Whether the live schema matches what its applied migrations produce, with the SQL that would reconcile it. */
export function DriftBanner({ drifted, sql, at }: { drifted: boolean; sql: string | null; at?: number | undefined }) {
  const [open, setOpen] = useState(false);
  // Kept across refreshes until checked again, so it says when it was true.
  const when = at ? <span className="muted"> (checked {new Date(at).toLocaleTimeString()})</span> : null;
  if (!drifted) return <span className="ok" role="status" data-testid="drift-result">No drift: the live schema matches the applied migrations.{when}</span>;
  return (
    <span className="drift" role="status" data-testid="drift-result">
      <span className="error">Drift: the live schema differs from the applied migrations.{when}</span>{' '}
      <button type="button" className="link" onClick={() => setOpen(!open)}>{open ? 'Hide' : 'Show'} the SQL that would reconcile it</button>
      {open && sql && <SqlView code={sql} label="reconcile" />}
    </span>
  );
}
