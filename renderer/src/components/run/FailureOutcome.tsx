import type { FailureDto } from '../../../../electron/shared/dto.ts';

/**
 * What the database and its history hold after a failure. The engine's own sentence is the truth when it sent one
 * (which statements stay applied, an INVALID index left behind, a lock timeout's attempts); otherwise it is derived
 * from `rolledBack`. The engine speaks of `godwit resolve`; in the app the same thing is done from the detail.
 */
export function FailureOutcome({ failure }: { failure: FailureDto }) {
  const fallback = failure.file === 'down.sql'
    ? failure.rolledBack
      ? `The rollback of ${failure.migration} was undone: it is still applied, and the database is as it was before its down.sql. Migrations rolled back before it stay rolled back.`
      : `${failure.migration}'s down.sql ran outside a transaction: its statements before the failing one stay applied. Repair the database, then mark the migration rolled back or applied in its detail.`
    : failure.rolledBack
      ? `${failure.migration} was rolled back: the database was left unchanged by it. Migrations before it stay applied.`
      : `${failure.migration} ran outside a transaction: statements before the failing one stay applied. Repair the database, then mark the migration rolled back or applied in its detail.`;
  return (
    <>
      <p data-testid="run-outcome" data-source={failure.outcome ? 'engine' : 'derived'}>{failure.outcome ?? fallback}</p>
      {failure.outcome && !failure.rolledBack && (
        <p className="muted" data-testid="run-outcome-app">In the app: after repairing the database, mark {failure.migration} rolled back or applied in its detail.</p>
      )}
    </>
  );
}
