import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { screenEveryWay } from './shots2.ts';
import { addMigration, DEMO_HEAD } from '../electron/engine/testing/fixtures.ts';

const BROKEN = '20990101000000_broken';
const session = appSession();

describe('per-migration history across environments (issue 11 item 3)', () => {
  it('lists every environment\'s runs of a migration from the audit trails, failed attempts included', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    // Upgrade test from the app: DEMO_HEAD's history then holds test's run beside dev's.
    await ui.selectEnv('test');
    await page.getByTestId('upgrade-head').click();
    await ui.confirmRun.click();
    await page.getByTestId('run-done').waitFor();
    await page.keyboard.press('Escape');
    await ui.waitPending('test', 0);
    await ui.row(DEMO_HEAD).click();
    const history = page.getByTestId('migration-history');
    await history.locator('tr[data-env=test][data-action=up][data-result=ok]').waitFor();
    expect(await history.locator('tr[data-env=dev][data-action=up][data-result=ok]').count()).toBeGreaterThanOrEqual(1);
    expect(await history.locator('tr[data-env=prod]').count()).toBe(0);
    expect(await history.locator('tr[data-env=test] td').nth(4).textContent()).toMatch(/^.+@.+$/);

    // A failed attempt on dev shows as failed, with its error.
    await addMigration(app.projectDir, BROKEN, 'SELECT * FROM "does_not_exist";\n');
    await page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.selectEnv('dev');
    await ui.waitPending('dev', 1);
    await page.getByTestId('upgrade-head').click();
    await ui.confirmRun.click();
    await page.getByTestId('run-failed').waitFor();
    await page.keyboard.press('Escape');
    await ui.row(BROKEN).click();
    const failed = history.locator('tr[data-env=dev][data-result=failed]');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('does_not_exist');
    expect(await screenEveryWay(page, 'migration-history')).toEqual([]);
  });
});
