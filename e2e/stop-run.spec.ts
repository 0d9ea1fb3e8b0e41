import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { sqlOn } from '../electron/engine/testing/test-database.ts';
import { addMigration } from '../electron/engine/testing/fixtures.ts';

const SLOW = [1, 2, 3].map((n) => `2099010100000${n}_slow_${n}`);
const session = appSession();

describe('stop after the current migration', () => {
  it('finishes the running migration, starts nothing more, and says where the environment stands', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    for (const [i, name] of SLOW.entries()) await addMigration(app.projectDir, name, `SELECT pg_sleep(1);\nCREATE TABLE "slow_${i + 1}" (id int);\n`, `DROP TABLE "slow_${i + 1}";\n`);
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 3);
    await ui.selectEnv('dev');
    await app.page.getByTestId('upgrade-head').click();
    await ui.confirmRun.click();
    // Asked while the first slow migration runs (it sleeps a second).
    await app.page.getByTestId('run-log').locator('.log-running', { hasText: SLOW[0]! }).waitFor();
    await app.page.getByTestId('stop-run').click();
    await app.page.locator('[data-testid=stop-run][disabled]').waitFor();
    await app.shot('run-stopping');
    await app.page.locator('[data-testid=run-done][data-stopped=yes]').waitFor();
    expect(await app.page.getByTestId('run-done').textContent()).toBe('Stopped as asked: 1 migration(s) applied; 2 not run. Run again to continue.');
    expect(await app.page.getByTestId('run-dialog').textContent()).toContain(`Stopped as asked. dev is now at ${SLOW[0]}; 2 migration(s) were not run.`);
    await app.shot('run-stopped');
    const applied = await sqlOn<{ n: string }>(app.dbs.dev.url, `SELECT migration_name AS n FROM _prisma_migrations WHERE migration_name LIKE '2099%' AND finished_at IS NOT NULL`);
    expect(applied.map((r) => r.n)).toEqual([SLOW[0]]);
  });
});
