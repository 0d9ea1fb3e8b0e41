import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { axeViolations } from './axe.ts';
import { DEMO_HEAD } from '../electron/engine/testing/fixtures.ts';

// Every screen the app has, in both themes at both sizes, saved for looking at (GODWIT_SHOTS, default /tmp/shots),
// and checked with axe-core (WCAG 2.1 A/AA): a violation fails the test.
const SHOTS_DIR = process.env.GODWIT_SHOTS ?? '/tmp/shots';
const SIZES = [{ width: 1024, height: 700 }, { width: 1920, height: 1080 }];
const session = appSession();

describe.each(['light', 'dark'] as const)('every screen in the %s theme', (theme) => {
  it('has no axe violations and is saved at 1024×700 and 1920×1080', async () => {
    const app = await session.start({ colorScheme: theme, bypassCSP: true, shotsDir: SHOTS_DIR });
    const { page } = app;
    const ui = new AppPage(page);
    const found: string[] = [];
    const screen = async (name: string) => {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await app!.shot(`${theme}-${size.width}x${size.height}-${name}`);
      }
      found.push(...(await axeViolations(page)).map((v) => `${name}: ${v}`));
    };

    await ui.row('20250405090000_create_patient_symptoms').click();
    await page.getByTestId('sql-migration.sql').waitFor();
    await screen('01-migrations');
    await ui.selectEnv('test');
    await ui.row(DEMO_HEAD).click();
    await page.getByTestId('rollback-to-here').focus();
    await page.getByRole('tooltip').waitFor();
    await screen('02-disabled-with-reason');

    await ui.selectEnv('prod');
    await page.getByTestId('upgrade-head').click();
    await ui.confirmName.waitFor();
    await screen('03-run-confirm-protected');
    await ui.confirmName.fill('prod');
    await ui.confirmRun.click();
    await page.getByTestId('run-done').waitFor();
    await screen('04-run-done');
    await page.keyboard.press('Escape');
    await ui.waitPending('prod', 0);

    await ui.selectEnv('dev');
    await page.getByTestId('rollback-base').click();
    await ui.confirmName.waitFor();
    await screen('05-rollback-to-base');
    await page.keyboard.press('Escape');

    await page.getByTestId('preview-pending').click();
    await page.getByTestId('sql-preview').waitFor();
    await screen('06-sql-preview');
    await page.keyboard.press('Escape');

    await page.getByTestId('check-drift').click();
    await page.getByTestId('drift-result').waitFor();
    await screen('07-drift');

    await ui.view('Tables');
    await page.locator('[data-table="users"]').click();
    // psql's \\d text is one tab of the table's structure.
    await page.getByRole('tab', { name: '\\d' }).click();
    await page.getByTestId('describe-output').getByText('Table "public.users"').waitFor();
    await page.getByRole('combobox', { name: 'Compare with' }).selectOption('test');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.getByTestId('compare-output').waitFor();
    await screen('08-tables');

    await ui.view('Audit log');
    await page.getByTestId('audit-log').locator('tbody tr').first().waitFor();
    await screen('09-audit-log');

    await ui.view('Backups');
    await page.locator('[data-testid=backups-table], [data-testid=backups-empty]').first().waitFor();
    await screen('09b-backups');

    await ui.view('Migrations');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screen('10-help');
    await page.keyboard.press('Escape');
    await ui.envChip('prod').dblclick();
    await page.getByRole('dialog', { name: 'Environment prod' }).waitFor();
    await screen('11-environment-editor');
    await page.keyboard.press('Escape');
    await page.getByTestId('new-migration').click();
    await page.getByTestId('new-migration-dialog').waitFor();
    await screen('12-new-migration');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Switch project' }).click();
    await page.getByTestId('open-demo').waitFor();
    await screen('13-project-screen');

    expect(found).toEqual([]);
  });
});
