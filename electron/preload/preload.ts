// The renderer's only door to the back end: one function per contract operation, plus progress events. Nothing
// generic is exposed (no raw ipcRenderer, no arbitrary channel).
import { contextBridge, ipcRenderer } from 'electron';
import { OPERATIONS, PROGRESS_CHANNEL, ipcChannel } from '../shared/operation-names.ts';

const api: Record<string, unknown> = {};
for (const op of OPERATIONS) api[op] = (input: unknown) => ipcRenderer.invoke(ipcChannel(op), input);
api.onProgress = (listener: (e: unknown) => void) => {
  const handler = (_event: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(PROGRESS_CHANNEL, handler);
  return () => ipcRenderer.removeListener(PROGRESS_CHANNEL, handler);
};
contextBridge.exposeInMainWorld('godwit', Object.freeze(api));
