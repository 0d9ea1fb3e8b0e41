import { create } from 'zustand';
import { createProjectSlice, type ProjectSlice } from './project-slice.ts';
import { createStatusSlice, type StatusSlice } from './status-slice.ts';
import { createGraphSlice, type GraphSlice } from './graph-slice.ts';
import { createRunSlice, type RunSlice } from './run-slice.ts';
import { createUiSlice, type UiSlice } from './ui-slice.ts';

/** The renderer's one store, made of typed slices. It never holds a password: the back end does not send any. */
export type AppState = ProjectSlice & StatusSlice & GraphSlice & RunSlice & UiSlice;

export const useApp = create<AppState>()((...a) => ({
  ...createProjectSlice(...a),
  ...createStatusSlice(...a),
  ...createGraphSlice(...a),
  ...createRunSlice(...a),
  ...createUiSlice(...a),
}));
