import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { screenEveryWay } from './shots2.ts';
import { addMigration } from '../electron/engine/testing/fixtures.ts';

const DROP = '20990101000000_drop_user_email';
const session = appSession();

describe('the Check view (issue 13)', () => {
  it('runs project/check and links each finding to its migration and line', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    await addMigration(app.projectDir, DROP, '-- keeps the address elsewhere\nALTER TABLE "users" DROP COLUMN "email";\n', 'ALTER TABLE "users" ADD COLUMN "email" TEXT;\n');
    await page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 1);
    await ui.view('Check');
    await page.getByTestId('run-check').click();
    await page.locator('[data-testid=check-view][data-state=done]').waitFor({ timeout: 120_000 });
    const destructive = page.getByTestId('check-findings').locator('tr[data-rule="lint/destructive"]').filter({ hasText: DROP });
    expect(await destructive.count()).toBe(1);
    expect(await destructive.getByTestId('finding-link').textContent()).toBe(`${DROP}/migration.sql:2`);
    expect(await page.getByTestId('check-summary').getAttribute('class')).toBe('error');
    expect(await screenEveryWay(page, 'check-view')).toEqual([]);

    // The link opens the migration with the line marked.
    await destructive.getByTestId('finding-link').click();
    await page.getByTestId('migration-detail').getByRole('heading', { name: DROP }).waitFor();
    const marked = page.getByTestId('sql-migration.sql').locator('.cm-failing-line');
    await marked.waitFor();
    expect(await marked.textContent()).toContain('DROP COLUMN "email"');
    expect(await screenEveryWay(page, 'check-finding-opened')).toEqual([]);
  });
});
