import { useEffect } from 'react';
import { useApp } from './store/index.ts';
import { readGate, rollbackGate, upgradeGate } from './components/run/run-gates.ts';

/** Single-key shortcuts (listed in the help dialog), ignored while typing in a field. */
export function useShortcuts(): void {
  useEffect(() => {
    let pendingG = false;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || t.closest('input, textarea, select, [role="dialog"]')) return;
      const s = useApp.getState();
      if (!s.project) return;
      if (pendingG) {
        pendingG = false;
        if (e.key === 't') s.setView('tables');
        if (e.key === 'a') s.setView('audit');
        if (e.key === 'm') s.setView('migrations');
        return;
      }
      const env = s.selectedEnv;
      switch (e.key) {
        case '?': s.openDialog('help'); break;
        case '/': e.preventDefault(); document.getElementById('graph-search')?.focus(); break;
        case 'r': void s.refreshStatus(); break;
        // Same gates as the toolbar's buttons: a shortcut never opens a dialog that would refuse.
        case 'u': if (env && upgradeGate(env, s.statuses[env]).ok) void s.openRun(env, { direction: 'up' }); break;
        case 'b': if (env && rollbackGate(env, s.statuses[env], { steps: 1 }).ok) void s.openRun(env, { direction: 'down', steps: 1 }); break;
        case 'p': if (env && readGate(env, s.statuses[env]).ok) s.openDialog({ kind: 'preview' }); break;
        case 'n': if (env && readGate(env, s.statuses[env]).ok) s.openDialog('new-migration'); break;
        case 'g': pendingG = true; break;
        default: {
          const n = Number(e.key);
          const target = s.project.environments[n - 1];
          if (Number.isInteger(n) && target) s.selectEnv(target.name);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
