import type { Db } from '../db/db.ts';
import { sqlErrorInfo } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import type { PlannedStep } from '../apply/plan.ts';
import type { StatementAnalysis } from '../analysis/types.ts';
import type { LockMode } from '../analysis/lock-modes.ts';
import { analyzeWithoutWaiting } from '../preflight/preflight.ts';
import { currentPlan } from '../preflight/run-gate.ts';
import { truncate } from '../preflight/sql-text.ts';
import { redactSecrets } from '../util/redact.ts';
import { cloneEnvironment, type Clone } from './clone-database.ts';
import { heldLocks, locksTaken, normalName, relations, rewritten, sampleLocksDuring } from './observe-statement.ts';
import type { ObservedLock, RehearsalReport, RehearsedMigration, RehearsedStatement } from './types.ts';
import { leadingTransactionSettings, transactionSettingsSql } from '../sql/transaction-settings.ts';

export interface RehearseOptions {
  /** Copy up to this many rows per table into the clone (default 0: schema only). */
  sample?: number | undefined;
  /** Aborting (Ctrl+C) cancels the running statement; the clone is dropped all the same. */
  signal?: AbortSignal | undefined;
  onMigration?: ((name: string, index: number, total: number) => void) | undefined;
}

const asList = (m: Map<string, LockMode>): ObservedLock[] => [...m].map(([relation, mode]) => ({ relation, mode })).sort((a, b) => a.relation.localeCompare(b.relation));

function predictedOf(a: StatementAnalysis | undefined): { map: Map<string, LockMode>; view: RehearsedStatement['predicted'] } {
  const map = new Map<string, LockMode>();
  for (const l of a?.locks ?? []) map.set(normalName(l.relation), l.mode);
  return { map, view: { locks: asList(map), rewrite: a?.rewrite ?? false, scan: a?.scan ?? false } };
}

const sameLocks = (a: Map<string, LockMode>, b: Map<string, LockMode>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** Runs one migration on the clone as `up` would (in one transaction unless PostgreSQL refuses one), observing each statement. */
async function runStep(runner: Db, observer: Db | null, pid: number, step: PlannedStep, analysis: StatementAnalysis[], signal: AbortSignal | undefined): Promise<RehearsedMigration> {
  const transactional = step.script.nonTransactional.length === 0;
  const statements: RehearsedStatement[] = [];
  let failed = false;
  const started = performance.now();
  // Its leading SET TRANSACTION goes right after BEGIN, before the rehearsal's own queries (as up sends it).
  const settings = leadingTransactionSettings(step.script, step.sql);
  if (transactional) {
    await runner.exec('BEGIN');
    if (settings.length) await runner.exec(transactionSettingsSql(step.script, step.sql));
  }
  // The script's own BEGIN and COMMIT, when they are its only transaction control, are not sent (as up does not).
  const ownControl = new Set([...step.script.ownTransaction, ...(transactional ? settings : [])].map((r) => r.at));
  for (const [j, stmt] of step.script.statements.entries()) {
    const predicted = predictedOf(analysis[j]);
    const base = { line: stmt.line, text: truncate(stmt.text, 200), predicted: predicted.view };
    if (failed || signal?.aborted) {
      statements.push({ ...base, status: 'not-run', durationMs: null, observed: null, matches: null });
      continue;
    }
    const before = await relations(runner);
    const heldBefore = transactional ? await heldLocks(runner, pid) : new Set<string>();
    const t = performance.now();
    try {
      let sampled = new Set<string>();
      if (ownControl.has(stmt.offset)) {
        // nothing sent: runs inside the rehearsal's transaction
      } else if (transactional || !observer) await runner.exec(stmt.text);
      else {
        const tables = [...before.values()].filter((r) => 'rpvm'.includes(r.relkind) && predicted.map.has(normalName(r.name))).map((r) => r.name);
        sampled = (await sampleLocksDuring(observer, pid, tables, () => runner.exec(stmt.text))).seen;
      }
      const durationMs = performance.now() - t;
      const heldAfter = new Set([...sampled, ...(await heldLocks(runner, pid))]);
      const after = await relations(runner);
      const taken = locksTaken(before, { before: heldBefore, after: heldAfter }, predicted.map);
      const tables = rewritten(before, after);
      statements.push({
        ...base, status: 'ok', durationMs,
        observed: { locks: asList(taken), rewritten: tables, sampled: !transactional },
        // Outside a transaction a statement's locks are gone when it returns: only a second session's samples show them.
        matches: { locks: sameLocks(taken, predicted.map), rewrite: predicted.view.rewrite === tables.length > 0 },
      });
    } catch (err) {
      failed = true;
      const info = sqlErrorInfo(err);
      statements.push({ ...base, status: 'failed', durationMs: performance.now() - t, error: { message: redactSecrets(info.message), code: info.code, detail: info.detail === undefined ? undefined : redactSecrets(info.detail) }, observed: null, matches: null });
      await runner.exec('ROLLBACK').catch(() => undefined);
    }
  }
  if (transactional && !failed) {
    if (signal?.aborted) await runner.exec('ROLLBACK');
    else await runner.exec('COMMIT');
  }
  const interrupted = !failed && statements.some((s) => s.status === 'not-run');
  return { name: step.name, transactional, status: failed ? 'failed' : interrupted ? 'not-run' : 'ok', durationMs: performance.now() - started, statements };
}

/**
 * `godwit rehearse`: the pending migrations of an environment run on a throwaway clone of its schema (and,
 * with `sample`, some of its rows), each statement observed through pg_locks and relfilenode and set beside the
 * prediction. The clone is dropped afterwards whatever happens. Reads the environment only.
 */
export async function rehearse(ctx: { db: Db; env: Environment; folder: MigrationsFolder }, opts: RehearseOptions = {}): Promise<RehearsalReport> {
  const started = performance.now();
  const sample = Math.max(0, Math.floor(opts.sample ?? 0));
  const plan = await currentPlan(ctx.db, ctx.env, ctx.folder, { direction: 'up' });
  const analysis = await analyzeWithoutWaiting(ctx.db, plan);
  if (plan.steps.length === 0) {
    return { environment: ctx.env.name, clone: null, serverVersion: analysis.serverVersion, migrations: [], ok: true, durationMs: performance.now() - started };
  }
  const clone: Clone = await cloneEnvironment(ctx.db, ctx.env, ctx.folder, sample);
  const migrations: RehearsedMigration[] = [];
  let runner: Db | undefined;
  let observer: Db | null = null;
  let dropped = false;
  let pid = 0;
  let observerPid = 0;
  // Cancels what the clone's sessions are doing, through the environment's own session (idle meanwhile): the watcher
  // cannot be asked, as it may be the one waiting.
  const onAbort = () => {
    if (runner?.kind !== 'postgres') return;
    void ctx.db.query('SELECT pg_catalog.pg_cancel_backend(p) FROM pg_catalog.unnest($1::int[]) p', [[pid, observerPid].filter((p) => p > 0)]).catch(() => undefined);
  };
  try {
    ({ runner, observer } = await clone.open());
    if (runner.kind === 'postgres') await runner.exec("SET application_name = 'godwit-rehearse'");
    pid = Number((await runner.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid);
    if (observer) observerPid = Number((await observer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid);
    opts.signal?.addEventListener('abort', onAbort);
    let stop = false;
    for (const [i, step] of plan.steps.entries()) {
      if (stop || opts.signal?.aborted) {
        const predicted = analysis.migrations[i]?.statements ?? [];
        migrations.push({
          name: step.name, transactional: step.script.nonTransactional.length === 0, status: 'not-run', durationMs: null,
          statements: step.script.statements.map((s, j) => ({ line: s.line, text: truncate(s.text, 200), status: 'not-run', durationMs: null, observed: null, predicted: predictedOf(predicted[j]).view, matches: null })),
        });
        continue;
      }
      opts.onMigration?.(step.name, i + 1, plan.steps.length);
      const m = await runStep(runner, observer, pid, step, analysis.migrations[i]?.statements ?? [], opts.signal);
      migrations.push(m);
      stop = m.status !== 'ok';
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (runner?.kind === 'postgres') await runner.close().catch(() => undefined);
    await observer?.close().catch(() => undefined);
    dropped = await clone.drop().catch(() => false);
  }
  return {
    environment: ctx.env.name,
    clone: { database: clone.database, schemaSource: clone.schemaSource, sampleRows: sample, rowsCopied: clone.rowsCopied, dropped, note: clone.note },
    serverVersion: analysis.serverVersion,
    migrations,
    ok: migrations.every((m) => m.status === 'ok'),
    durationMs: performance.now() - started,
  };
}
