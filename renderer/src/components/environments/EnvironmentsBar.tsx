import { useApp } from '../../store/index.ts';
import { LockIcon } from '../common/LockIcon.tsx';
import type { EnvironmentStatusDto } from '../../../../electron/shared/dto.ts';

function chipState(s: EnvironmentStatusDto | undefined): { tone: string; text: string } {
  if (!s) return { tone: 'loading', text: 'loading…' };
  if (s.error) return { tone: 'error', text: 'unreachable' };
  const { failed, edited, missingLocally, pending, rolledBack } = s.summary;
  if (failed || edited) return { tone: 'error', text: failed ? `${failed} failed` : `${edited} edited` };
  if (missingLocally) return { tone: 'error', text: `${missingLocally} missing locally` };
  if (s.drift?.drifted) return { tone: 'error', text: 'drift' };
  if (pending + rolledBack) return { tone: 'pending', text: `${pending + rolledBack} pending` };
  return { tone: 'ok', text: 'at head' };
}

const EMPTY_STATUS: EnvironmentStatusDto = {
  environment: '', protected: false, location: '', head: null, migrations: [], drift: null,
  summary: { applied: 0, pending: 0, failed: 0, edited: 0, missingLocally: 0, rolledBack: 0, diverged: false },
};

/** One chip per environment: name, state colour, lock when protected, head and pending count. */
export function EnvironmentsBar() {
  const { project, statuses, selectedEnv, selectEnv, openDialog, refreshStatus, statusLoading, statusAsOf } = useApp();
  if (!project) return null;
  return (
    <nav className="env-bar" aria-label="Environments">
      {project.environments.map((env) => {
        // An environment whose URL cannot be resolved says so on its chip; the others work as usual.
        const s = statuses[env.name] ?? (env.error ? { ...EMPTY_STATUS, environment: env.name, protected: env.protected, location: env.location, error: env.error } : undefined);
        const state = chipState(s);
        return (
          <button
            key={env.name}
            type="button"
            className={`env-chip tone-${state.tone} ${selectedEnv === env.name ? 'active' : ''}`}
            aria-pressed={selectedEnv === env.name}
            onClick={() => selectEnv(env.name)}
            onDoubleClick={() => openDialog({ kind: 'environment', name: env.name })}
            data-testid={`env-chip-${env.name}`}
            data-pending={s ? s.summary.pending + s.summary.rolledBack : undefined}
            title={s?.error ?? `${env.location}${s?.head ? `\nhead: ${s.head}` : ''}`}
          >
            <span className="env-name">
              {env.protected && <LockIcon />}{env.name}
              {env.reach?.encrypted && <span className="env-badge" title={`TLS (sslmode=${env.reach.sslmode})`} data-testid={`env-tls-${env.name}`}>TLS</span>}
              {env.reach?.ssh && <span className="env-badge" title={`through the SSH bastion ${env.reach.ssh.host}`} data-testid={`env-ssh-${env.name}`}>via SSH</span>}
            </span>
            <span className="env-state">{state.text}</span>
            <span className="env-head">{s?.error ? s.error : s ? (s.head ?? 'base') : ''}</span>
          </button>
        );
      })}
      <button type="button" className="ghost" onClick={() => openDialog({ kind: 'environment', name: null })}>+ Environment</button>
      <span className="refresh-group">
        <button type="button" className="ghost" onClick={() => void refreshStatus()} disabled={statusLoading} aria-label="Refresh status">
          {/* Same width whether refreshing or not: the bar does not jump on every automatic refresh. */}
          <span aria-hidden="true" className={statusLoading ? 'spinning' : ''}>↻</span> Refresh
        </button>
        {statusAsOf && <span className="muted as-of" data-testid="status-as-of" data-as-of={statusAsOf} title="Re-read on focus and every minute">as of {new Date(statusAsOf).toLocaleTimeString()}</span>}
      </span>
    </nav>
  );
}
