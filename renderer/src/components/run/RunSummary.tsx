import type { EnvironmentDto, EnvironmentStatusDto, PreviewDto, ProjectDto } from '../../../../electron/shared/dto.ts';

export interface RunCounts {
  migrations: number;
  destructive: number;
  outsideTransaction: number;
  withoutDown: number;
  unanalysed: number;
}

/** What a DBA checks before saying yes: how many, how dangerous, how reversible. */
export function countRun(preview: PreviewDto, project: ProjectDto | null): RunCounts {
  const hasDown = new Map(project?.migrations.map((m) => [m.name, m.hasDownSql]) ?? []);
  return {
    migrations: preview.steps.length,
    destructive: preview.steps.reduce((n, s) => n + s.warnings.length, 0),
    outsideTransaction: preview.steps.reduce((n, s) => n + s.nonTransactional.length, 0),
    // A rollback runs down.sql files, so every step has one; an upgrade may add migrations that cannot be undone.
    withoutDown: preview.direction === 'up' ? preview.steps.filter((s) => hasDown.get(s.name) === false).length : 0,
    unanalysed: preview.steps.filter((s) => s.unanalysed).length,
  };
}

/** Target, counts and the divergence warning, at the top of the confirmation. */
export function RunSummary({ env, status, preview, counts, planning }: { env: EnvironmentDto | undefined; status: EnvironmentStatusDto | undefined; preview: PreviewDto; counts: RunCounts; planning: boolean }) {
  const missing = status?.migrations.filter((m) => m.state === 'missing-locally').map((m) => m.name) ?? [];
  const item = (label: string, value: number, tone: string, testId: string) => (
    <div className={`summary-item ${value ? tone : ''}`} data-testid={testId} data-count={value}>
      <dt>{label}</dt>
      <dd>{value.toLocaleString()}</dd>
    </div>
  );
  return (
    <section className="run-summary" aria-label="Summary" data-testid="run-summary">
      <p className="run-target">
        <span className="muted">Target</span> <strong data-testid="run-target">{env?.location ?? preview.environment}</strong>
        {preview.analysis && <span className="muted"> · PostgreSQL {preview.analysis.serverVersion}</span>}
        {env?.protected && <span className="badge danger">protected</span>}
        {/* Before the run only: afterwards the dialog's description says where the environment ended up. */}
        {planning && <span className="muted"> · head now <code>{status?.head ?? 'base'}</code> → afterwards <code>{preview.headAfter ?? 'base'}</code></span>}
      </p>
      <dl className="summary-counts">
        {item('migrations', counts.migrations, '', 'count-migrations')}
        {item('destructive statements', counts.destructive, 'danger', 'count-destructive')}
        {item('statements outside a transaction', counts.outsideTransaction, 'warn', 'count-outside-tx')}
        {preview.direction === 'up' && item('migrations without down.sql', counts.withoutDown, 'warn', 'count-without-down')}
        {counts.unanalysed > 0 && item('unanalysed scripts', counts.unanalysed, 'danger', 'count-unanalysed')}
      </dl>
      {planning && missing.length > 0 && (
        <p className="warning diverged" role="note" data-testid="run-diverged">
          ⚠ {preview.environment} has {missing.length} migration(s) applied that are not in this folder ({missing.slice(0, 3).join(', ')}{missing.length > 3 ? ', …' : ''}):
          its history diverges from yours. Check you are on the right branch before running.
        </p>
      )}
    </section>
  );
}
