import { useEffect } from 'react';
import { useApp } from './store/index.ts';

/** How often the statuses are re-read while the window is visible. */
export const LIVE_REFRESH_MS = 60_000;

/**
 * Keeps the statuses live: re-read when the window regains focus or becomes visible, and on an interval — so a
 * change made elsewhere (the CLI, a colleague) shows up. Skipped while a refresh or a run is under way.
 */
export function useLiveStatus(): void {
  useEffect(() => {
    const refresh = () => {
      const s = useApp.getState();
      if (!s.project || s.statusLoading || s.run?.phase === 'running' || document.visibilityState !== 'visible') return;
      void s.refreshStatus();
    };
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', onVisible);
    const timer = setInterval(refresh, LIVE_REFRESH_MS);
    return () => {
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(timer);
    };
  }, []);
}
