import type { StateCreator } from 'zustand';
import type { ProgressEventDto } from '../../../electron/shared/contract.ts';
import type { FailureDto, PreviewDto } from '../../../electron/shared/dto.ts';
import { ApiError, call, onProgress } from '../api/transport.ts';
import type { AppState } from './index.ts';

export type RunTarget = { direction: 'up'; to?: string } | { direction: 'down'; steps?: number; to?: string; base?: boolean };

export interface RunLogLine {
  name: string;
  status: 'running' | 'done' | 'failed';
  durationMs?: number | undefined;
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
}

export interface RunSlice {
  run: RunDialogState | null;
  openRun(env: string, target: RunTarget): Promise<void>;
  startRun(confirm: string | undefined): Promise<void>;
  closeRun(): void;
}

function applyEvent(log: RunLogLine[], e: ProgressEventDto): RunLogLine[] {
  const rest = log.filter((l) => l.name !== e.name);
  const line: RunLogLine = { name: e.name, status: e.type === 'start' ? 'running' : e.type === 'done' ? 'done' : 'failed', durationMs: e.type === 'done' ? e.durationMs : undefined };
  const at = log.findIndex((l) => l.name === e.name);
  return at === -1 ? [...log, line] : [...rest.slice(0, at), line, ...rest.slice(at)];
}

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => ({
  run: null,
  async openRun(env, target) {
    const runId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    set({ run: { env, target, preview: null, previewError: null, phase: 'confirm', runId, log: [], failure: null, error: null } });
    try {
      const preview = await call('migrations/preview', { env, ...target });
      if (get().run?.runId === runId) set({ run: { ...get().run!, preview } });
    } catch (err) {
      if (get().run?.runId === runId) set({ run: { ...get().run!, previewError: (err as Error).message } });
    }
  },
  async startRun(confirm) {
    const run = get().run;
    if (!run) return;
    set({ run: { ...run, phase: 'running' } });
    const unsubscribe = onProgress((e) => {
      const current = get().run;
      if (current && e.runId === current.runId) set({ run: { ...current, log: applyEvent(current.log, e) } });
    });
    try {
      const input = { env: run.env, confirm, runId: run.runId };
      const report = run.target.direction === 'up'
        ? await call('migrations/apply', { ...input, to: run.target.to })
        : await call('migrations/rollback', { ...input, steps: run.target.steps, to: run.target.to, base: run.target.base });
      // The report is the truth; live events may still be in flight when it arrives.
      const log = report.completed.map((c): RunLogLine => ({ name: c.name, status: 'done', durationMs: c.durationMs }));
      set({ run: { ...get().run!, phase: 'done', log } });
    } catch (err) {
      const failure = err instanceof ApiError ? (err.failure ?? null) : null;
      const current = get().run!;
      let log = current.log.map((l): RunLogLine => (l.status === 'running' ? { ...l, status: 'failed' } : l));
      if (failure && !log.some((l) => l.name === failure.migration)) log = [...log, { name: failure.migration, status: 'failed' }];
      if (failure) log = log.map((l) => (l.name === failure.migration ? { ...l, status: 'failed' } : l));
      set({ run: { ...current, phase: 'failed', failure, error: (err as Error).message, log } });
    } finally {
      unsubscribe();
      await get().refreshStatus();
    }
  },
  closeRun: () => set({ run: null }),
});
