import type { Db } from '../db/db.ts';
import { recordAudit, type AuditEntry } from '../audit/audit-log.ts';
import type { EnvironmentConfig } from '../project/environment-config.ts';
import { GodwitError } from '../util/errors.ts';

/** What an environments/save asks for. */
export interface EnvironmentEdit {
  name: string;
  url: string;
  protected: boolean;
  shadowDatabaseUrl?: string | undefined;
  /** Present (even undefined: removal) when the edit sets them; absent keeps godwit.json's. */
  ssh?: unknown;
  passwordCommand?: string | undefined;
}

/**
 * The changes of a save that weaken or move a protected environment: each needs its exact name typed, as a run on
 * it does. Without this, a save could switch protection off and the next run would need no confirmation.
 */
export function protectedChanges(before: EnvironmentConfig | undefined, after: EnvironmentEdit): string[] {
  if (!before?.protected) return [];
  const changes: string[] = [];
  if (!after.protected) changes.push('remove-protection');
  if (after.url !== before.url) changes.push('change-url');
  if ((after.shadowDatabaseUrl || undefined) !== before.shadowDatabaseUrl) changes.push('change-shadow-url');
  if (after.name !== before.name) changes.push('rename');
  // Where the connection goes and what runs on every connect (a shell command, for each user of the project).
  if ('ssh' in after && JSON.stringify(after.ssh ?? null) !== JSON.stringify(before.ssh ?? null)) changes.push('change-ssh');
  if ('passwordCommand' in after && (after.passwordCommand || undefined) !== (before.passwordCommand || undefined)) changes.push('change-password-command');
  return changes;
}

/** Refuses unless `confirm` is the environment's exact name. */
export function requireTypedName(name: string, confirm: string | undefined, what: string): void {
  if (confirm !== name) {
    throw new GodwitError('confirmation-required', `To ${what} "${name}", confirm with its exact name.`, 'Type the environment\'s name in the confirmation field.');
  }
}

/** A session that cannot reach its database: recordAudit then keeps the entry in the local fallback file. */
function unreachable(display: string): Db {
  const fail = () => Promise.reject(new Error('unreachable'));
  return { kind: 'postgres', display, query: fail, exec: fail, queryBatch: fail, schemaEngineAdapter: () => { throw new Error('unreachable'); }, close: async () => undefined };
}

/**
 * Writes an environment change (or its refusal) to that environment's audit trail: its database as configured before
 * the change, or the local fallback file when it cannot be reached.
 */
export async function auditEnvironmentChange(
  env: { name: string; display: string },
  use: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
  changes: string[],
  error: string | null,
): Promise<void> {
  // The audit module's action type names runs only; environment changes are recorded under their own names.
  const entry: Omit<AuditEntry, 'at' | 'osUser' | 'host' | 'store'> = {
    environment: env.name, action: `environment:${changes.join('+')}` as AuditEntry['action'], migrations: [], result: error ? 'failed' : 'ok', error, durationMs: 0,
  };
  try {
    await use((db) => recordAudit(db, entry));
  } catch {
    await recordAudit(unreachable(env.display), entry);
  }
}
