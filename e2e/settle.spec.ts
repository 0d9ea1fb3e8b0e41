import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { sqlOn } from '../electron/engine/testing/test-database.ts';
import { addMigration } from '../electron/engine/testing/fixtures.ts';

const BROKEN = '20990101000000_index_then_broken';
const session = appSession();

describe('a failed run settled in the app', () => {
  it('shows the last error, when and who, and marks it rolled back with the typed name on a protected environment', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    // CONCURRENTLY runs outside a transaction: the failure leaves the migration failed in prod's history.
    await addMigration(app.projectDir, BROKEN, 'CREATE INDEX CONCURRENTLY "users_created_idx" ON "users" (created_at);\nSELECT * FROM "does_not_exist";\n', 'DROP INDEX "users_created_idx";\n');
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('prod', 4);
    await ui.selectEnv('prod');
    await app.page.getByTestId('upgrade-head').click();
    await ui.confirmName.fill('prod');
    await ui.confirmRun.click();
    // The engine's own sentence: what stays applied (statement 1, outside a transaction) and the history's state.
    await app.page.getByTestId('run-outcome').getByText('Statement 1 ran outside a transaction and stays applied: the migration is half applied and marked failed in the history').waitFor();
    expect(await app.page.getByTestId('run-outcome').getAttribute('data-source')).toBe('engine');
    expect(await app.page.getByTestId('run-outcome-app').textContent()).toContain(`mark ${BROKEN} rolled back or applied in its detail`);
    await app.page.keyboard.press('Escape');

    // Every run on prod is now blocked, and says how to unblock it.
    await app.page.locator('[data-testid="upgrade-head"][aria-disabled="true"]').waitFor();
    expect(await app.page.getByTestId('upgrade-head').getAttribute('data-reason')).toBe(`${BROKEN} failed in prod: settle it first (mark it rolled back or applied in its detail).`);

    await ui.row(BROKEN).click();
    const settle = app.page.getByTestId('settle-failed');
    await settle.getByTestId('failed-attempt').waitFor();
    expect(await settle.getByTestId('failed-attempt').textContent()).toMatch(/^Last attempt .+ by .+@.+, after \d+ ms\.$/);
    expect(await settle.getByTestId('failed-error').textContent()).toContain('does_not_exist');
    await settle.getByTestId('settle-rolled-back').click();
    expect(await settle.getByTestId('settle-submit').isDisabled()).toBe(true);
    await settle.getByTestId('settle-name').fill('Prod');
    expect(await settle.getByTestId('settle-submit').isDisabled()).toBe(true);
    await app.shot('settle-failed-migration');
    // The database repaired by hand first: the index the failed run left behind is dropped.
    await sqlOn(app.dbs.prod.url, 'DROP INDEX IF EXISTS "users_created_idx"');
    await settle.getByTestId('settle-name').fill('prod');
    await settle.getByTestId('settle-submit').click();
    await app.page.locator('[data-testid="upgrade-head"]:not([aria-disabled])').waitFor();
    await expect.poll(() => settle.count()).toBe(0);
    const rows = await sqlOn<{ rolled: boolean }>(app.dbs.prod.url, `SELECT rolled_back_at IS NOT NULL AS rolled FROM _prisma_migrations WHERE migration_name = '${BROKEN}'`);
    expect(rows).toEqual([{ rolled: true }]);
  });

  it('says a failed rollback was undone and the migration is still applied', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    const name = '20990101000000_notes';
    await addMigration(app.projectDir, name, 'CREATE TABLE "notes" ("id" INT PRIMARY KEY);\n', 'DROP TABLE "notes";\nDROP TABLE "no_such_table";\n');
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 1);
    await ui.selectEnv('dev');
    await app.page.getByTestId('upgrade-head').click();
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');
    await ui.waitPending('dev', 0);
    await app.page.getByTestId('rollback-one').click();
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    await ui.confirmRun.click();
    const outcome = app.page.getByTestId('run-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain(`The rollback of ${name} was undone: it is still applied, and the database is as it was before its down.sql.`);
    await app.shot('rollback-failed-undone');
    expect(await sqlOn(app.dbs.dev.url, `SELECT to_regclass('public.notes') IS NOT NULL AS present`)).toEqual([{ present: true }]);
  });
});
