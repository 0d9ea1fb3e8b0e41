import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { launchBrowser } from './fixtures.ts';
import { AppPage } from './pages/app-page.ts';
import { startLargeApp } from './large-project.ts';
import { sqlOn } from '../electron/engine/testing/test-database.ts';

let browser: Browser;
let close: (() => Promise<void>) | undefined;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** In the viewport without scrolling, and the topmost element at its centre (not hidden under anything). */
async function inView(l: Locator, viewport: { width: number; height: number }): Promise<boolean> {
  const box = (await l.boundingBox())!;
  const onTop = await l.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }).document;
    const hit = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) as { closest?: unknown } | null;
    return hit === el || (el as unknown as { contains(n: unknown): boolean }).contains(hit);
  });
  return onTop && box.y >= 0 && box.x >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
}

describe('a 2,000-migration project', () => {
  it('keeps the typed name and the confirm button in view at 1024×700, with the summary a DBA checks', async () => {
    const viewport = { width: 1024, height: 700 };
    const { app, history } = await startLargeApp(browser, 2000, { viewport });
    close = app.close;
    const ui = new AppPage(app.page);
    // The graph opens at the newest migrations (rows are only rendered when in view), and jumps to a first pending.
    await ui.row(history.names[1999]!).waitFor();
    expect(await ui.row(history.names[0]!).count()).toBe(0);
    await app.page.getByTestId('graph-jump').selectOption({ label: 'prod: first pending' });
    await app.page.locator(`[data-migration="${history.names[10]}"][aria-selected="true"]`).waitFor();
    expect(await app.page.getByTestId('migration-detail').locator('h2').textContent()).toBe(history.names[10]);
    await app.shot('large-graph-jump-1024x700');
    await ui.selectEnv('prod');
    await app.page.getByTestId('upgrade-head').click();
    await app.page.getByTestId('run-summary').waitFor({ timeout: 60_000 });
    const count = (id: string) => app.page.getByTestId(id).getAttribute('data-count').then(Number);
    expect(await count('count-migrations')).toBe(1990);
    // prod has the first 10 applied: the counts are of the 1,990 still to run.
    const pending = history.names.slice(10).map((n) => Number(n.slice(-4)));
    expect(history.destructive + history.outsideTransaction + history.withoutDown).toBe(8 + 5 + 4);
    expect(await count('count-destructive')).toBe(pending.filter((i) => i % 250 === 0).length);
    expect(await count('count-outside-tx')).toBe(pending.filter((i) => i % 400 === 7).length);
    expect(await count('count-without-down')).toBe(pending.filter((i) => i % 500 === 3).length);
    expect(await app.page.getByTestId('run-target').textContent()).toMatch(/127\.0\.0\.1/);
    expect(await app.page.getByTestId('run-diverged').textContent()).toContain('20240000000150_hotfix_on_prod');
    expect(await inView(ui.confirmName, viewport)).toBe(true);
    expect(await inView(ui.confirmRun, viewport)).toBe(true);
    expect(await ui.confirmRun.isDisabled()).toBe(true);
    // The long list narrows to what needs a look, numbered by its place in the run.
    await app.page.getByTestId('only-attention').check();
    const flagged = pending.filter((i) => i % 250 === 0 || i % 400 === 7);
    await expect.poll(() => ui.runDialog.locator('.run-steps > li').count()).toBe(flagged.length);
    expect(await ui.runDialog.locator('.run-steps > li').first().getAttribute('value')).toBe(String(pending.indexOf(flagged[0]!) + 1));
    await ui.confirmName.fill('prod');
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    expect(await inView(ui.confirmRun, viewport)).toBe(true);
    await app.shot('large-confirm-1024x700');
  });

  it('runs 2,000 migrations showing done/total and following the running one', async () => {
    const viewport = { width: 1024, height: 700 };
    const { app } = await startLargeApp(browser, 2000, { viewport, prodApplied: 1 });
    close = app.close;
    const ui = new AppPage(app.page);
    await app.page.getByTestId('upgrade-head').click();
    await expect.poll(() => ui.confirmRun.isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await ui.confirmRun.textContent()).toBe('Upgrade 2,000 migration(s)');
    // After every change to the page (a microtask after React's commit and layout effects, before the next frame or any
    // other task): the log's newest line is rendered and inside the log's visible area. Bursts of progress events (the
    // renderer busy, e.g. taking a screenshot) add many lines in one render; the log must not show an old range then.
    await app.page.evaluate(() => {
      const g = globalThis as unknown as { __follow: { checks: number; misses: string[] }; document: { body: unknown; querySelector(s: string): unknown } } & Record<string, unknown>;
      g.__follow = { checks: 0, misses: [] };
      const MO = g['MutationObserver'] as new (cb: () => void) => { observe(n: unknown, o: object): void };
      new MO(() => {
        const log = g.document.querySelector('[data-testid=run-log]') as { querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { top: number; bottom: number }; querySelector(s: string): { textContent: string } | null }>; firstElementChild: { getBoundingClientRect(): { height: number } } | null; getBoundingClientRect(): { top: number; bottom: number } } | null;
        const lines = log ? Array.from(log.querySelectorAll('.log-line')) : [];
        if (!log || !lines.length) return;
        const n = (l: (typeof lines)[number]) => Number(l.querySelector('.log-n')!.textContent.replace('.', ''));
        const newest = lines.reduce((a, b) => (n(a) > n(b) ? a : b));
        const total = Math.round(log.firstElementChild!.getBoundingClientRect().height / 22);
        const r = newest.getBoundingClientRect();
        const box = log.getBoundingClientRect();
        g.__follow.checks++;
        if (n(newest) !== total || r.top < box.top - 1 || r.bottom > box.bottom + 1) g.__follow.misses.push(`newest rendered ${n(newest)} of ${total}, top ${r.top} bottom ${r.bottom} in ${box.top}..${box.bottom}`);
      }).observe(g.document.body, { childList: true, subtree: true, characterData: true });
    });
    await ui.confirmRun.click();
    // Mid-run: some done, not all, and the log's newest line is inside the log's visible area.
    const progress = app.page.getByTestId('run-progress');
    await app.page.locator('[data-testid=run-progress][data-total="2000"]:not([data-done="0"]):not([data-done="2000"])').waitFor({ timeout: 60_000 });
    const mid = Number(await progress.getAttribute('data-done'));
    expect(mid).toBeGreaterThan(0);
    await app.shot('large-run-progress-1024x700');
    const followed = await app.page.getByTestId('run-log').evaluate((log) => {
      const lines = [...log.querySelectorAll('.log-line')];
      const last = lines.reduce((a, b) => (Number(a.querySelector('.log-n')!.textContent!.replace('.', '')) > Number(b.querySelector('.log-n')!.textContent!.replace('.', '')) ? a : b));
      const r = last.getBoundingClientRect();
      const box = log.getBoundingClientRect();
      return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
    });
    expect(followed).toBe(true);
    await app.page.getByTestId('run-done').waitFor({ timeout: 110_000 });
    expect(await progress.getAttribute('data-done')).toBe('2000');
    const follow = await app.page.evaluate(() => (globalThis as unknown as { __follow: { checks: number; misses: string[] } }).__follow);
    expect(follow.misses.slice(0, 3)).toEqual([]);
    expect(follow.checks).toBeGreaterThan(5);
    expect(await ui.confirmRun.count()).toBe(0);
    await app.shot('large-run-done-1024x700');
    await app.page.keyboard.press('Escape');
    await ui.waitPending('dev', 0);

    // Rolling back more than 10 migrations asks for the name on an unprotected environment too; one step does not.
    await app.page.getByTestId('graph-jump').selectOption({ label: 'dev: head' });
    await app.page.getByLabel('Search migrations').fill('step_198');
    await ui.row('20240000198500_step_1985').click();
    await app.page.getByTestId('rollback-to-here').click();
    await ui.runDialog.getByText('This rolls back 15 migrations (more than 10). Type dev to confirm:').waitFor();
    expect(await ui.confirmRun.isDisabled()).toBe(true);
    await app.page.keyboard.press('Escape');
    await app.page.getByTestId('rollback-one').click();
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    expect(await ui.confirmName.count()).toBe(0);
    await app.page.keyboard.press('Escape');

    const rows = await sqlOn<{ n: number }>(app.dbs.dev.url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
    expect(rows[0]!.n).toBe(2000);
  }, 240_000);
});
