import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { rollback, upgrade } from '../apply/run-plan.ts';
import { MigrationFailedError } from '../apply/migration-failure.ts';
import { GodwitError, describeError } from '../util/errors.ts';
import { ensureHistoryTable } from '../history/history-table.ts';
import type { SchemaComparer } from './schema-compare.ts';
import { extensionsCreatedBy, type Throwaway, type ThrowawayFactory } from './throwaway.ts';
import type { CheckFinding, CheckRule } from './types.ts';

/** Reported as the check moves through the migrations it tests. */
export type ReversibilityProgress =
  | { step: 'up' | 'down' | 're-apply' | 'compare'; name: string; index: number; total: number }
  /** A throwaway database was created (where, without password): left behind only if the process is killed. */
  | { step: 'throwaway'; display: string };

const interrupted = () => new GodwitError('interrupted', 'The check was interrupted; its throwaway database was dropped.');

function failureFinding(rule: CheckRule, name: string, err: unknown, what: string): CheckFinding {
  if (err instanceof MigrationFailedError) {
    const f = err.failure;
    return { rule, migration: name, file: f.file, line: f.line || null, message: `${what}: ${f.error.message.replace(/\.$/, '')}.`, sql: f.statement || undefined };
  }
  return { rule, migration: name, file: null, line: null, message: `${what}: ${describeError(err)}` };
}

/**
 * "Test up, down, up", automated on a throwaway database: for each target migration (folder order), every earlier
 * migration is applied with Godwit's own apply path, the schema is snapshotted, the migration applied, its down.sql
 * run, the schema compared with the snapshot (each differing object is a finding), and the migration applied again.
 * A failure leaves the throwaway in an unknown state, so the next target starts on a fresh one.
 */
export async function checkReversibility(
  folder: MigrationsFolder,
  targets: ReadonlySet<string>,
  /** Null: only report missing down.sql files (no database needed). */
  factory: ThrowawayFactory | null,
  comparer: SchemaComparer,
  onProgress?: (p: ReversibilityProgress) => void,
  signal?: AbortSignal,
): Promise<CheckFinding[]> {
  const out: CheckFinding[] = [];
  const runnable = folder.migrations.filter((m) => targets.has(m.name) && m.downSql !== null);
  for (const m of folder.migrations) {
    if (targets.has(m.name) && m.downSql === null) {
      out.push({ rule: 'reversibility/missing-down', migration: m.name, file: 'down.sql', line: null, message: `${m.name} has no down.sql: it cannot be rolled back (godwit down-sql ${m.name} drafts one).` });
    }
  }
  if (!runnable.length || !factory) return out;
  let t: Throwaway | null = null;
  // After a failure the throwaway's state is unknown: the next target starts on a new one.
  const discard = async () => {
    const old = t;
    t = null;
    await old?.drop();
  };
  try {
    for (const [i, m] of runnable.entries()) {
      if (signal?.aborted) throw interrupted();
      if (!t) {
        t = await factory.create({ extensions: folder.migrations.flatMap((x) => extensionsCreatedBy(x.upSql)) });
        onProgress?.({ step: 'throwaway', display: t.db.display });
        // The history table exists before the first snapshot, or the first migration would seem to leave it behind.
        await ensureHistoryTable(t.db);
      }
      const db: Throwaway = t;
      const progress = (step: 'up' | 'down' | 're-apply' | 'compare') => onProgress?.({ name: m.name, index: i + 1, total: runnable.length, step });
      const ctx = () => ({ db: db.db, env: db.env, folder });
      const run = { confirm: db.env.name, signal };
      const at = folder.migrations.findIndex((x) => x.name === m.name);
      const previous = folder.migrations[at - 1]?.name;
      if (previous) {
        try {
          await upgrade(ctx(), { ...run, to: previous });
        } catch (err) {
          if (signal?.aborted) throw interrupted();
          const failed = err instanceof MigrationFailedError ? err.failure.migration : previous;
          // A target that failed on its own is already reported; an earlier migration failing is news.
          if (!out.some((f) => f.rule === 'reversibility/up-failed' && f.migration === failed)) {
            out.push(failureFinding('reversibility/up-failed', failed, err, `reversibility of ${m.name} could not be checked: ${failed}/migration.sql failed on the throwaway database`));
          }
          break; // every later target needs the same earlier migrations
        }
      }
      const before = await comparer.snapshot(db.db);
      progress('up');
      try {
        await upgrade(ctx(), { ...run, to: m.name });
      } catch (err) {
        if (signal?.aborted) throw interrupted();
        out.push(failureFinding('reversibility/up-failed', m.name, err, 'migration.sql failed on a throwaway database with every earlier migration applied'));
        await discard();
        continue;
      }
      progress('down');
      try {
        await rollback(ctx(), { ...run, steps: 1 });
      } catch (err) {
        if (signal?.aborted) throw interrupted();
        out.push(failureFinding('reversibility/down-failed', m.name, err, 'down.sql failed right after migration.sql'));
        await discard();
        continue;
      }
      progress('compare');
      const differences = comparer.diff(before, await comparer.snapshot(db.db));
      for (const d of differences) {
        const state = d.before === null ? 'left behind by down.sql (absent before the migration)' : d.after === null ? 'missing after down.sql (present before the migration)' : 'not restored by down.sql';
        out.push({
          rule: 'reversibility/not-reversible', migration: m.name, file: 'down.sql', line: null,
          message: `${d.object}: ${state}.${d.before !== null && d.after !== null ? ` Before: ${d.before}; after: ${d.after}.` : ''}`,
          sql: d.sql,
        });
      }
      if (differences.length) {
        await discard();
        continue;
      }
      progress('re-apply');
      try {
        await upgrade(ctx(), { ...run, to: m.name });
      } catch (err) {
        if (signal?.aborted) throw interrupted();
        out.push(failureFinding('reversibility/reapply-failed', m.name, err, 'migration.sql failed when applied again after down.sql'));
        await discard();
      }
    }
  } finally {
    await (t as Throwaway | null)?.drop().catch(() => undefined);
  }
  return out;
}
