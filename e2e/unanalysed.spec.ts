import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { addMigration } from '../electron/engine/testing/fixtures.ts';

const session = appSession();

describe('a migration the SQL parser cannot analyse', () => {
  it('is marked unanalysed and needs the typed name even on an unprotected environment', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    await addMigration(app.projectDir, '20990101000000_unparsable', 'CREATE TABL "x" (id int);\nDROP TABLE "users";\n');
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 1);

    await app.page.getByTestId('upgrade-head').click();
    await ui.runDialog.getByTestId('unanalysed-badge').waitFor();
    expect(await ui.runDialog.textContent()).toContain('Not analysed: the SQL parser refused it (syntax error at or near "TABL" (line 1))');
    expect(await ui.confirmRun.isEnabled()).toBe(false);
    await ui.confirmName.fill('dev');
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    await app.shot('unanalysed-run-confirm');
    await app.page.keyboard.press('Escape');

    await ui.row('20990101000000_unparsable').click();
    await app.page.getByTestId('unanalysed').waitFor();
    await app.shot('unanalysed-migration-detail');
  });
});
