import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { screenEveryWay } from './shots2.ts';
import { DEMO_HEAD } from '../electron/engine/testing/fixtures.ts';

const session = appSession();
let other: pg.Client | undefined;
// After hooks run last-registered first: the other session ends, then the app closes and drops its databases.
afterEach(async () => {
  await other?.end().catch(() => undefined);
  other = undefined;
});

/** A reporting job holding ROW EXCLUSIVE on patients in an open transaction (`other`: ended after the test). */
async function nightlyReportOn(url: string): Promise<{ job: pg.Client; pid: number }> {
  const job = new pg.Client({ connectionString: url, application_name: 'nightly-report' });
  other = job;
  await job.connect();
  await job.query('BEGIN');
  await job.query('LOCK TABLE patients IN ROW EXCLUSIVE MODE');
  return { job, pid: (await job.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid };
}

describe('the confirmation reads the run against the environment (issue 10 §6)', () => {
  it('names a session holding a conflicting lock, clears on re-check, rehearses, and shows each statement\'s locks', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    // Prod's pending create_patient_symptoms adds a foreign key to patients (SHARE ROW EXCLUSIVE there); a reporting
    // job holding ROW EXCLUSIVE on patients in an open transaction is in its way.
    const { job, pid } = await nightlyReportOn(app.dbs.prod.url);

    await ui.selectEnv('prod');
    await page.getByTestId('upgrade-head').click();
    const preflight = page.getByTestId('preflight');
    await page.locator('[data-testid=preflight][data-state=findings]').waitFor();
    const blocker = preflight.getByTestId('preflight-blockers').locator(`li[data-pid="${pid}"]`);
    expect(await blocker.textContent()).toContain('nightly-report');
    expect(await blocker.textContent()).toContain('patients');
    // On a protected environment the findings sit right above the typed name, in the footer that stays in view.
    const findings = page.getByTestId('protected-findings');
    expect(await findings.textContent()).toContain('1 blocking session(s)');
    const [fBox, nBox] = [await findings.boundingBox(), await ui.confirmName.boundingBox()];
    expect(fBox!.y + fBox!.height).toBeLessThanOrEqual(nBox!.y);
    expect(await screenEveryWay(page, 'run-preflight-blocked')).toEqual([]);

    // The job ends; re-checking reads the sessions again.
    await job.query('ROLLBACK');
    await preflight.getByTestId('preflight-recheck').click();
    await page.locator('[data-testid=preflight][data-state=clear]').waitFor();
    expect(await findings.textContent()).not.toContain('blocking session');

    // Each statement's analysis inside its migration: the rename takes ACCESS EXCLUSIVE on booking_requests.
    const step = ui.runDialog.locator('.run-steps li', { hasText: DEMO_HEAD });
    await step.locator('summary').click();
    const rows = step.getByTestId('statement-analysis').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toMatch(/AccessExclusive|ACCESS EXCLUSIVE/i);
    expect(await rows.first().textContent()).toContain('booking_requests');

    // Rehearsal: predicted beside observed, on a throwaway clone.
    await page.getByTestId('rehearse').click();
    await page.locator('[data-testid=rehearsal][data-state=done]').waitFor();
    expect(await page.getByTestId('rehearsal-summary').textContent()).toContain('Rehearsal passed');
    expect(await page.getByTestId('rehearsal-summary').textContent()).toContain('clone dropped');
    const rehearsed = page.getByTestId('rehearsal-table').locator('tbody tr');
    expect(await rehearsed.count()).toBeGreaterThan(3);
    expect(await page.getByTestId('rehearsal-table').locator('tbody tr[data-status=ok]').count()).toBe(await rehearsed.count());
    expect(await screenEveryWay(page, 'run-rehearsed')).toEqual([]);
  });

  it('on a protected environment, runs despite a blocking session only when asked to, under the lock timeout', async () => {
    const app = await session.start();
    const { page } = app;
    const ui = new AppPage(page);
    const { job } = await nightlyReportOn(app.dbs.prod.url);
    await ui.selectEnv('prod');
    await page.getByTestId('upgrade-head').click();
    await page.locator('[data-testid=preflight][data-state=findings]').waitFor();
    // Without the choice the engine refuses: the blocker is named, nothing ran.
    await ui.confirmName.fill('prod');
    await ui.confirmRun.click();
    await page.getByTestId('run-failed').waitFor();
    expect(await page.getByTestId('run-failed').textContent()).toMatch(/nightly-report|block/i);
    await page.keyboard.press('Escape');
    await ui.waitPending('prod', 3);
    // With it, the run starts; the job ends while the first statement waits within its lock timeout.
    await page.getByTestId('upgrade-head').click();
    await page.locator('[data-testid=preflight][data-state=findings]').waitFor();
    await page.getByTestId('ignore-blockers').check();
    await ui.confirmName.fill('prod');
    await ui.confirmRun.click();
    setTimeout(() => void job.query('ROLLBACK').catch(() => undefined), 300);
    await page.getByTestId('run-done').waitFor();
    await ui.waitPending('prod', 0);
  });

  it('analyses a pending migration in its detail on the selected environment', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    await ui.selectEnv('test');
    await ui.row(DEMO_HEAD).click();
    await page.getByTestId('analyse-here').click();
    await page.locator('[data-testid=detail-analysis][data-state=done]').waitFor();
    const row = page.getByTestId('detail-analysis').locator('tbody tr').first();
    expect(await row.getAttribute('data-line')).toBe('2');
    expect(await row.textContent()).toContain('booking_requests');
    expect(await screenEveryWay(page, 'detail-analysis')).toEqual([]);
  });
});
