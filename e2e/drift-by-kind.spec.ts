import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { screenEveryWay } from './shots2.ts';
import { sqlOn } from '../electron/engine/testing/test-database.ts';

// A drift check replays the migrations on a shadow database: on a busy two-core machine it can outlast 30 s.
const DRIFT_CHECK = 120_000;
const session = appSession();

describe('drift and compare grouped by catalog kind (issue 15), adopted from the banner (issue 13)', () => {
  it('lists each drifted object under its kind, live beside expected, and adopts the drift as a migration', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    await sqlOn(app.dbs.dev.url, 'ALTER TABLE patients ADD COLUMN added_by_hand text; CREATE INDEX patients_hand_idx ON patients (added_by_hand)');
    await page.getByTestId('check-drift').click();
    await page.getByTestId('drift-result').getByText('Drift: the live schema differs').waitFor({ timeout: DRIFT_CHECK });
    await page.getByTestId('drift-toggle').click();
    const groups = page.getByTestId('drift-groups');
    const column = groups.locator('[data-kind=column] .kind-item').filter({ hasText: 'added_by_hand' });
    expect(await column.count()).toBe(1);
    // Live on dev beside what the migrations produce (absent there).
    expect(await column.locator('.side-by-side > div').first().textContent()).toContain('text');
    expect(await column.locator('.side-by-side > div').nth(1).textContent()).toContain('absent');
    expect(await groups.locator('[data-kind=index] .kind-item').filter({ hasText: 'patients_hand_idx' }).count()).toBe(1);
    expect(await screenEveryWay(page, 'drift-by-kind')).toEqual([]);

    // Adopt it: a new migration, applied on dev only; dev has no drift afterwards, test and prod see it pending.
    await page.getByTestId('adopt-drift').click();
    const dialog = page.getByTestId('adopt-drift-dialog');
    await dialog.getByTestId('adopt-name').fill('patients hand column');
    await dialog.getByTestId('adopt-submit').click();
    await dialog.getByTestId('adopt-result').getByText('marked it applied on dev').waitFor({ timeout: DRIFT_CHECK });
    expect(await dialog.getByTestId('sql-migration.sql').textContent()).toContain('added_by_hand');
    expect(await screenEveryWay(page, 'adopt-drift-done')).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('drift-result').getByText('No drift').waitFor({ timeout: DRIFT_CHECK });
    await ui.waitPending('test', 2);
    expect(await ui.pending('dev')).toBe(0);
    const [row] = await sqlOn<{ n: number }>(app.dbs.dev.url, "SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name LIKE '%patients_hand_column' AND finished_at IS NOT NULL");
    expect(row!.n).toBe(1);
  });

  it('says which drift comes from a migration the folder lacks, beside the SQL that would drop what it made', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    // dev ran a migration this folder does not have (a teammate's branch): its table is there, its file is not.
    await sqlOn(app.dbs.dev.url, `CREATE TABLE ghost_notes (id int PRIMARY KEY);
      INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
      VALUES (gen_random_uuid()::text, repeat('0', 64), '20990101000000_ghost_notes', now(), now(), 1)`);
    await page.getByTestId('check-drift').click();
    await page.getByTestId('drift-result').getByText('Drift: the live schema differs').waitFor({ timeout: DRIFT_CHECK });
    expect(await page.getByTestId('drift-caveat').textContent()).toContain('1 migration this database ran is missing from the folder, so what it made shows as drift. Restore those files before running any of this SQL.');
    expect(await screenEveryWay(page, 'drift-caveat')).toEqual([]);
  });

  it('asks for the name of a protected environment before adopting its drift', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    await sqlOn(app.dbs.prod.url, 'ALTER TABLE users ADD COLUMN nickname text');
    await ui.selectEnv('prod');
    await page.getByTestId('check-drift').click();
    await page.getByTestId('drift-result').getByText('Drift: the live schema differs').waitFor({ timeout: DRIFT_CHECK });
    await page.getByTestId('adopt-drift').click();
    const submit = page.getByTestId('adopt-submit');
    expect(await submit.isDisabled()).toBe(true);
    await page.getByTestId('adopt-confirm-name').fill('pro');
    expect(await submit.isDisabled()).toBe(true);
    await page.getByTestId('adopt-confirm-name').fill('prod');
    expect(await submit.isDisabled()).toBe(false);
  });

  it('compares two environments kind by kind', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    await ui.view('Tables');
    await page.getByRole('combobox', { name: 'Compare with' }).selectOption('prod');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const out = page.locator('[data-testid=compare-output][data-pair="dev:prod"]');
    await out.getByText('difference(s) between dev and prod').waitFor();
    const tables = out.locator('[data-kind=table] .kind-item').filter({ hasText: 'booking_requests' });
    expect(await tables.count()).toBe(1);
    expect(await tables.locator('.side-by-side > div').nth(1).textContent()).toContain('absent');
    expect(await out.locator('.kind-group h4').first().textContent()).toMatch(/\(\d+\)$/);
    expect(await screenEveryWay(page, 'compare-by-kind')).toEqual([]);
  });
});
