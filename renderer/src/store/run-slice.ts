import type { StateCreator } from 'zustand';
import type { ProgressEventDto } from '../../../electron/shared/contract.ts';
import type { EnvironmentStatusDto, FailureDto, PreviewDto } from '../../../electron/shared/dto.ts';
import { ApiError, call, onProgress } from '../api/transport.ts';
import type { AppState } from './index.ts';

export type RunTarget = { direction: 'up'; to?: string } | { direction: 'down'; steps?: number; to?: string; base?: boolean };

export interface RunLogLine {
  name: string;
  status: 'running' | 'done' | 'failed';
  durationMs?: number | undefined;
  /** A rollback's restore left rows written since the upgrade as they were: its sentence. */
  kept?: string | undefined;
}

export interface RunDialogState {
  env: string;
  target: RunTarget;
  preview: PreviewDto | null;
  previewError: string | null;
  phase: 'confirm' | 'running' | 'done' | 'failed';
  runId: string;
  log: RunLogLine[];
  failure: FailureDto | null;
  error: string | null;
  /** Migrations finished of the run's total, and the one running now (from the back end's progress events). */
  progress: { done: number; total: number; current: string | null };
  /** The environment's head once the run is over (from the report; after a failure, from the refreshed status). */
  headAfter?: string | null | undefined;
  /** "Stop after the current migration" was asked; once the run ends, how many of the plan did not run. */
  stop?: { asked: true; remaining?: number | undefined } | undefined;
}

export interface RunSlice {
  run: RunDialogState | null;
  openRun(env: string, target: RunTarget): Promise<void>;
  /** `backups`: skip the copy, accept one over the limit (up); roll back without restoring (down). */
  startRun(confirm: string | undefined, backups?: { noBackup: boolean; allowLargeBackup: boolean; noRestore: boolean }, ignoreBlockers?: boolean): Promise<void>;
  /** Asks the back end to start nothing after the migration running now. */
  stopRun(): Promise<void>;
  closeRun(): void;
}

/** Applies a batch of progress events, copying the log once (a run may have thousands of lines). */
function applyEvents(run: RunDialogState, events: ProgressEventDto[]): RunDialogState {
  const log = [...run.log];
  let { done, total, current } = run.progress;
  for (const e of events) {
    if (e.runId !== run.runId) continue;
    const line: RunLogLine = { name: e.name, status: e.type === 'start' ? 'running' : e.type === 'done' ? 'done' : 'failed', durationMs: e.type === 'done' ? e.durationMs : undefined, kept: e.type === 'done' ? e.kept : undefined };
    // A migration's line sits at its place in the plan (events of a batch interleave: start a, start b, done a, …).
    const at = log[e.index - 1]?.name === e.name ? e.index - 1 : log.findIndex((l) => l.name === e.name);
    if (at === -1) log.push(line);
    else {
      if (log[at]!.status === 'done') done--;
      log[at] = line;
    }
    if (line.status === 'done') done++;
    total = e.total;
    if (e.type === 'start') current = e.name;
  }
  return { ...run, log, progress: { done, total, current } };
}

const IN_DATABASE = new Set(['applied', 'edited', 'missing-locally']);

/**
 * After a failed run, the log and done count from the environment's history re-read afterwards — the truth even
 * when the error reply overtook the last progress events, or a batch's transaction took earlier migrations with it.
 */
function settleFailedLog(run: RunDialogState, status: EnvironmentStatusDto | undefined): RunDialogState {
  const headAfter = status?.head ?? null;
  if (!status || status.error || !run.preview) return { ...run, headAfter };
  const state = new Map(status.migrations.map((m) => [m.name, m.state]));
  const moved = (name: string) => (run.target.direction === 'up' ? IN_DATABASE.has(state.get(name) ?? '') : ['pending', 'rolled-back'].includes(state.get(name) ?? ''));
  const seen = new Map(run.log.map((l) => [l.name, l]));
  const failed = run.failure?.migration;
  const log = run.preview.steps
    .filter((st) => moved(st.name) || st.name === failed)
    .map((st): RunLogLine => (st.name === failed && !moved(st.name) ? { name: st.name, status: 'failed' } : { name: st.name, status: 'done', durationMs: seen.get(st.name)?.durationMs, kept: seen.get(st.name)?.kept }));
  const done = log.filter((l) => l.status === 'done').length;
  return { ...run, headAfter, log, progress: { ...run.progress, done, current: null } };
}

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => ({
  run: null,
  async openRun(env, target) {
    const runId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    set({ run: { env, target, preview: null, previewError: null, phase: 'confirm', runId, log: [], failure: null, error: null, progress: { done: 0, total: 0, current: null } } });
    try {
      const preview = await call('migrations/preview', { env, ...target });
      if (get().run?.runId === runId) set({ run: { ...get().run!, preview } });
    } catch (err) {
      if (get().run?.runId === runId) set({ run: { ...get().run!, previewError: (err as Error).message } });
    }
  },
  async startRun(confirm, backups, ignoreBlockers) {
    const run = get().run;
    if (!run) return;
    const total = run.preview?.steps.length ?? 0;
    set({ run: { ...run, phase: 'running', progress: { done: 0, total, current: null } } });
    // Events are applied in batches (every 50 ms), not one store update each: 4,000 events of a 2,000-migration run
    // would otherwise re-render the app 4,000 times and starve the page.
    let queue: ProgressEventDto[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const current = get().run;
      if (current && queue.length) set({ run: applyEvents(current, queue) });
      queue = [];
    };
    const unsubscribe = onProgress((e) => {
      queue.push(e);
      timer ??= setTimeout(flush, 50);
    });
    try {
      // A protected environment refuses while a session blocks the run, unless the user chose to go ahead.
      const input = { env: run.env, confirm, runId: run.runId, ignoreBlockers: ignoreBlockers || undefined };
      const report = run.target.direction === 'up'
        ? await call('migrations/apply', { ...input, to: run.target.to, noBackup: backups?.noBackup || undefined, allowLargeBackup: backups?.allowLargeBackup || undefined })
        : await call('migrations/rollback', { ...input, steps: run.target.steps, to: run.target.to, base: run.target.base, noRestore: backups?.noRestore || undefined });
      // The report is the truth; live events may still be in flight when it arrives.
      const log = report.completed.map((c): RunLogLine => ({ name: c.name, status: 'done', durationMs: c.durationMs, kept: c.kept }));
      const cur = get().run!;
      const stop = report.stopped ? { asked: true as const, remaining: report.stopped.remaining } : cur.stop;
      set({ run: { ...cur, phase: 'done', log, headAfter: report.headAfter, stop, progress: { done: log.length, total: Math.max(cur.progress.total, log.length), current: null } } });
    } catch (err) {
      flush();
      const failure = err instanceof ApiError ? (err.failure ?? null) : null;
      const current = get().run!;
      let log = current.log.map((l): RunLogLine => (l.status === 'running' ? { ...l, status: 'failed' } : l));
      if (failure && !log.some((l) => l.name === failure.migration)) log = [...log, { name: failure.migration, status: 'failed' }];
      if (failure) log = log.map((l) => (l.name === failure.migration ? { ...l, status: 'failed' } : l));
      const done = log.filter((l) => l.status === 'done').length;
      set({ run: { ...current, phase: 'failed', failure, error: (err as Error).message, log, progress: { ...current.progress, done, current: null } } });
    } finally {
      unsubscribe();
      if (timer) clearTimeout(timer);
      queue = [];
      await get().refreshStatus();
      const after = get().run;
      if (after?.runId === run.runId && after.phase === 'failed') set({ run: settleFailedLog(after, get().statuses[run.env]) });
    }
  },
  async stopRun() {
    const run = get().run;
    if (!run || run.phase !== 'running' || run.stop) return;
    set({ run: { ...run, stop: { asked: true } } });
    await call('migrations/stop', { runId: run.runId }).catch(() => undefined);
  },
  closeRun: () => set({ run: null }),
});
