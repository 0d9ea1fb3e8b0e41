import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { useApp } from './store/index.ts';
import type { takeInitialRequests } from './initial-requests.ts';

/** Renders the app, its first screen from the requests main.tsx sent before this code was loaded. */
export function startApp(requests: ReturnType<typeof takeInitialRequests>): void {
  void useApp.getState().loadInitial(requests);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  // The locale's time format is built on its first use (~20 ms): built while the page waits for the back end, not in
  // the frame that shows the statuses ("as of …").
  setTimeout(() => new Date().toLocaleTimeString(), 0);
}
