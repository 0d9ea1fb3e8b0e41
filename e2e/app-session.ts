import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startApp, type AppFixture, type AppOptions } from './fixtures.ts';

export interface AppSession {
  /** The file's Chromium (launched before its first test). */
  readonly browser: Browser;
  /** Starts the demo app for this test; it is closed after the test, pass or fail. */
  start(opts?: AppOptions): Promise<AppFixture>;
  /** Closes `x` after this test (an app started another way, a client). */
  closeAfter<T extends { close(): Promise<void> }>(x: T): T;
}

/** Registers the hooks every app spec needs: one Chromium per file, and each test's app closed after it. */
export function appSession(): AppSession {
  let browser: Browser | undefined;
  let open: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());
  afterEach(async () => {
    const closing = open.reverse();
    open = [];
    for (const x of closing) await x.close();
  });
  const session: AppSession = {
    get browser() {
      if (!browser) throw new Error('The browser is launched in beforeAll: use it inside a test.');
      return browser;
    },
    start: async (opts) => session.closeAfter(await startApp(session.browser, opts)),
    closeAfter: (x) => {
      open.push(x);
      return x;
    },
  };
  return session;
}
