import { useState } from 'react';
import { SqlView } from '../common/SqlView.tsx';

/** Whether the live schema matches what its applied migrations produce, with the SQL that would reconcile it. */
export function DriftBanner({ drifted, sql }: { drifted: boolean; sql: string | null }) {
  const [open, setOpen] = useState(false);
  if (!drifted) return <span className="ok" role="status" data-testid="drift-result">No drift: the live schema matches the applied migrations.</span>;
  return (
    <span className="drift" role="status" data-testid="drift-result">
      <span className="error">Drift: the live schema differs from the applied migrations.</span>{' '}
      <button type="button" className="link" onClick={() => setOpen(!open)}>{open ? 'Hide' : 'Show'} the SQL that would reconcile it</button>
      {open && sql && <SqlView code={sql} label="reconcile" />}
    </span>
  );
}
