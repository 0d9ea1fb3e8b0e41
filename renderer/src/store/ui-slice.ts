import type { StateCreator } from 'zustand';
import { call } from '../api/transport.ts';
import type { AppState } from './index.ts';

export type View = 'migrations' | 'tables' | 'audit' | 'backups' | 'check';
export type Dialog = null | 'help' | 'new-migration' | { kind: 'environment'; name: string | null } | { kind: 'preview' };

export interface UiSlice {
  view: View;
  theme: 'system' | 'light' | 'dark';
  dialog: Dialog;
  setView(view: View): void;
  setTheme(theme: UiSlice['theme']): void;
  openDialog(dialog: Dialog): void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  view: 'migrations',
  theme: 'system',
  dialog: null,
  setView: (view) => set({ view }),
  setTheme: (theme) => {
    set({ theme });
    void call('settings/set', { theme }).catch(() => undefined);
  },
  openDialog: (dialog) => set({ dialog }),
});
