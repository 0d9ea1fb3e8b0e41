import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { axeViolations } from './axe.ts';
import { sqlOn } from '../electron/engine/testing/test-database.ts';
import { addMigration } from '../electron/engine/testing/fixtures.ts';

const FILL = '20990101000000_create_notes';
const DROP = '20990102000000_drop_note_text';
const session = appSession();

const notes = (url: string) => sqlOn<{ id: number; body: string | null }>(url, 'SELECT id, body FROM "notes" ORDER BY id');

describe('backups in the app', () => {
  it('shows what an upgrade copies, lists the backup, restores it on rollback, and drops one after a confirmation', async () => {
    const app = await session.start({ bypassCSP: true });
    const ui = new AppPage(app.page);
    await addMigration(app.projectDir, FILL, `CREATE TABLE "notes" ("id" INTEGER NOT NULL, "body" TEXT, CONSTRAINT "notes_pkey" PRIMARY KEY ("id"));\nINSERT INTO "notes" SELECT g, 'note ' || g FROM generate_series(1, 500) g;\nANALYZE "notes";\n`, 'DROP TABLE "notes";\n');
    await addMigration(app.projectDir, DROP, 'ALTER TABLE "notes" DROP COLUMN "body";\n', 'ALTER TABLE "notes" ADD COLUMN "body" TEXT;\n');
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 2);
    await ui.selectEnv('dev');
    // First the table and its rows, then the column drop on its own: its copy is sized from the table's statistics.
    await ui.row(FILL).click();
    await app.page.locator('[data-testid=upgrade-to-here]:not([aria-disabled])').click();
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');
    const before = await notes(app.dbs.dev.url);
    expect(before).toHaveLength(500);

    await app.page.locator('[data-testid=upgrade-head]:not([aria-disabled])').click();
    const choices = ui.runDialog.getByTestId('backup-choices');
    await choices.waitFor();
    expect(await choices.getByTestId('backup-total').textContent()).toMatch(/copies it \(~500 row\(s\), ~[\d.]+ kB\) into the godwit schema/);
    await ui.runDialog.locator('summary', { hasText: DROP }).click();
    expect(await ui.runDialog.getByTestId('step-backup').textContent()).toContain('BACKUP (statement 1): copies the column notes.body with its key (DROP COLUMN)');
    await app.shot('backups-upgrade-dialog');
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');

    await ui.view('Backups');
    const rows = app.page.getByTestId('backup-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(new RegExp(`${DROP}column public\\.notes\\.body \\(DROP COLUMN\\)500.+todayrestored by a rollback`));
    expect(await axeViolations(app.page)).toEqual([]);
    await app.shot('backups-view');

    // One step back: the rollback says it restores, then the values are back, row for row.
    await ui.view('Migrations');
    await app.page.getByTestId('rollback-one').click();
    await ui.runDialog.getByTestId('backup-restores').waitFor();
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');
    expect(await notes(app.dbs.dev.url)).toEqual(before);
    await ui.view('Backups');
    await app.page.getByTestId('backups-empty').waitFor();

    // Up again, then drop the new backup by hand: a rollback would now bring the column back empty.
    await ui.view('Migrations');
    await app.page.locator('[data-testid=upgrade-head]:not([aria-disabled])').click();
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');
    await ui.view('Backups');
    await rows.first().waitFor();
    await rows.first().getByRole('checkbox').check();
    await app.page.getByTestId('backups-drop').click();
    await app.page.getByTestId('backups-drop-dialog').waitFor();
    await app.shot('backups-drop-dialog');
    await app.page.getByTestId('backups-drop-confirm').click();
    await app.page.getByTestId('backups-empty').waitFor();
    // The copy is gone; its catalog row stays as a tombstone, so a rollback says what it cannot restore.
    expect(await sqlOn(app.dbs.dev.url, "SELECT count(*)::int AS n FROM godwit.backups WHERE kind <> 'skipped'")).toEqual([{ n: 0 }]);
    expect(await sqlOn(app.dbs.dev.url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'godwit' AND tablename LIKE 'bk%'")).toEqual([{ n: 0 }]);
  });

  it('a rollback of a type change keeps the values written since the upgrade, and its run log says how many', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    const prices = '20990101000000_create_prices';
    const whole = '20990102000000_whole_prices';
    await addMigration(app.projectDir, prices, `CREATE TABLE "prices" ("id" INTEGER NOT NULL, "amount" NUMERIC(10,2) NOT NULL, CONSTRAINT "prices_pkey" PRIMARY KEY ("id"));\nINSERT INTO "prices" SELECT g, g + 0.25 FROM generate_series(1, 50) g;\n`, 'DROP TABLE "prices";\n');
    await addMigration(app.projectDir, whole, 'ALTER TABLE "prices" ALTER COLUMN "amount" TYPE INTEGER;\n', 'ALTER TABLE "prices" ALTER COLUMN "amount" TYPE NUMERIC(10,2);\n');
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 2);
    await ui.selectEnv('dev');
    await app.page.locator('[data-testid=upgrade-head]:not([aria-disabled])').click();
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');
    // The application writes one price after the upgrade.
    await sqlOn(app.dbs.dev.url, 'UPDATE "prices" SET "amount" = 99 WHERE "id" = 7');

    await app.page.getByTestId('rollback-one').click();
    expect(await ui.runDialog.getByTestId('backup-restores').textContent()).toContain('rows written since keep their values');
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    const line = ui.runDialog.getByTestId('run-log').locator('.log-line', { hasText: whole });
    expect(await line.textContent()).toContain('1 row(s) of public.prices.amount changed since the upgrade kept their values');
    await app.shot('backups-rollback-kept');
    const rows = await sqlOn<{ id: number; amount: string }>(app.dbs.dev.url, 'SELECT "id", "amount"::text FROM "prices" ORDER BY "id"');
    expect(rows.filter((r) => r.id !== 7).every((r) => r.amount === `${r.id}.25`)).toBe(true);
    expect(rows.find((r) => r.id === 7)).toEqual({ id: 7, amount: '99.00' });
  });
});
