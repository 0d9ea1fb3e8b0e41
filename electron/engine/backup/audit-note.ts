import type { Plan } from '../apply/plan.ts';
import type { DumpOutcome } from './pg-dump.ts';

/**
 * What the audit row says of backups: migrations run without the copy of what they destroyed (--no-backup, or
 * outside a transaction), rollbacks that kept their backups unrestored (--no-restore), the pg_dump file. Null when
 * there is nothing to say.
 */
export function backupAuditNote(plan: Plan | undefined, completed: string[], dump: DumpOutcome | undefined): string | null {
  if (!plan) return null;
  const done = new Set(completed);
  const parts: string[] = [];
  for (const s of plan.steps) {
    const b = s.backup;
    if (!b || !done.has(s.name)) continue;
    if (b.skipped && b.copies.some((c) => !c.skipped)) parts.push(`${s.name}: ${b.skipped.startsWith('not ') ? b.skipped : `backup ${b.skipped}`}`);
    const kept = b.restores.filter((r) => r.kind !== 'skipped');
    if (b.noRestore && kept.length) parts.push(`${s.name}: rolled back without restoring its backups (--no-restore); kept: ${kept.map((r) => r.id).join(', ')}`);
  }
  if (dump) parts.push('file' in dump ? `pg_dump of ${dump.tables.length} table(s) written to ${dump.file}` : `no pg_dump before the run: ${dump.skipped}`);
  return parts.length ? parts.join('; ') : null;
}
