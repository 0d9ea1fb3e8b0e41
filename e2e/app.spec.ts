import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { sqlOn } from '../electron/engine/testing/test-database.ts';
import { schemaDump } from '../electron/engine/testing/pg-dump.ts';
import { addMigration, DEMO_HEAD } from '../electron/engine/testing/fixtures.ts';

const BEFORE_HEAD = '20250412090000_create_booking_requests';
const session = appSession();

const applied = async (url: string) => (await sqlOn<{ n: number }>(url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL'))[0]!.n;

describe('the app in browser mode', () => {
  it('shows every environment\'s position, previews SQL, upgrades, and rolls back through the dialog', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    expect([await ui.pending('dev'), await ui.pending('test'), await ui.pending('prod')]).toEqual([0, 1, 3]);
    await expect.poll(() => ui.row(DEMO_HEAD).getByTestId('head-dev').count()).toBe(1);
    expect(await ui.row(BEFORE_HEAD).getByTestId('head-test').count()).toBe(1);
    expect(await ui.row('20250329090000_require_patient_phone_number').getByTestId('head-prod').count()).toBe(1);
    await ui.row('20250405090000_create_patient_symptoms').click();
    await app.page.getByTestId('sql-migration.sql').waitFor();
    await app.shot('01-revision-graph');

    // Preview test's pending SQL.
    await ui.selectEnv('test');
    await app.page.getByTestId('preview-pending').click();
    const preview = app.page.getByTestId('preview-dialog');
    await preview.getByText(`-- Upgrade: ${DEMO_HEAD} (migration.sql)`).waitFor();
    await app.shot('02-sql-preview');
    await app.page.keyboard.press('Escape');

    // Upgrade test to head.
    await app.page.getByTestId('upgrade-head').click();
    await ui.confirmRun.waitFor();
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    await app.shot('03-upgrade-confirm');
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.shot('04-upgrade-done');
    await app.page.keyboard.press('Escape');
    await ui.waitPending('test', 0);
    expect(await applied(app.dbs.test.url)).toBe(8);

    // One step back on dev.
    await ui.selectEnv('dev');
    await app.page.getByTestId('rollback-one').click();
    await ui.runDialog.getByText(DEMO_HEAD).first().waitFor();
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');
    await ui.waitPending('dev', 1);
    expect(await applied(app.dbs.dev.url)).toBe(7);

    // Back to base lists destructive statements without expanding anything; cancelling changes nothing.
    await app.page.getByRole('button', { name: 'Back to base' }).click();
    await ui.runDialog.getByText('DROP TABLE — DROP TABLE "booking_requests"').waitFor();
    await app.shot('04b-rollback-base-warnings');
    await ui.runDialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await applied(app.dbs.dev.url)).toBe(7);
    expect(await sqlOn(app.dbs.dev.url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'booking_requests' AND column_name = 'topic'")).toHaveLength(1);
  });

  it('keeps the confirm button disabled on a protected environment until its name is typed exactly', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    await ui.selectEnv('prod');
    await app.page.getByTestId('upgrade-head').click();
    await ui.confirmName.waitFor();
    expect(await ui.confirmRun.isDisabled()).toBe(true);
    await ui.confirmName.fill('Prod');
    expect(await ui.confirmRun.isDisabled()).toBe(true);
    await ui.confirmName.fill('prod ');
    expect(await ui.confirmRun.isDisabled()).toBe(true);
    await app.shot('05-protected-confirm-wrong-name');
    await ui.confirmName.fill('prod');
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.shot('06-protected-done');
    expect(await applied(app.dbs.prod.url)).toBe(8);
  });

  it('checks drift, describes a table, compares environments, and shows the audit log', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    await sqlOn(app.dbs.dev.url, 'ALTER TABLE patients ADD COLUMN added_by_hand text');
    await app.page.getByTestId('check-drift').click();
    await app.page.getByTestId('drift-result').getByText('Drift: the live schema differs').waitFor();
    await app.page.getByRole('button', { name: 'Show the SQL that would reconcile it' }).click();
    await app.page.getByTestId('sql-reconcile').getByText('DROP COLUMN "added_by_hand"').waitFor();
    await app.shot('07a-drift');
    await ui.view('Tables');
    await app.page.locator('[data-table="users"]').click();
    // psql's \\d text is one tab of the table's structure.
    await app.page.getByRole('tab', { name: '\\d' }).click();
    await app.page.getByTestId('describe-output').getByText('Table "public.users"').waitFor();
    expect(await app.page.getByTestId('describe-output').textContent()).toContain('"users_email_key" UNIQUE, btree (email)');
    await app.shot('07-tables-describe');
    await app.page.getByRole('combobox', { name: 'Compare with' }).selectOption('prod');
    await app.page.getByRole('button', { name: 'Compare', exact: true }).click();
    await app.page.getByTestId('compare-output').getByText('difference(s) between dev and prod').waitFor();
    expect(await app.page.getByTestId('compare-output').textContent()).toContain('public.booking_requests');
    await app.shot('08-tables-compare');
    await ui.view('Audit log');
    await app.page.getByTestId('audit-log').locator('tbody tr').first().waitFor();
    expect(await app.page.getByTestId('audit-log').textContent()).toContain('up');
    await app.shot('09-audit-log');
  });

  it('shows a failing migration\'s statement and leaves the database unchanged', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    await addMigration(app.projectDir, '20990101000000_broken', 'CREATE TABLE "half" (id int);\nSELECT * FROM "does_not_exist";\n');
    const before = await schemaDump(app.dbs.dev.url);
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 1);
    await app.page.getByTestId('upgrade-head').click();
    await ui.confirmRun.click();
    const failed = app.page.getByTestId('run-failed');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('relation "does_not_exist" does not exist');
    expect(await failed.textContent()).toContain('the database was left unchanged');
    expect(await failed.locator('.cm-failing-line').textContent()).toContain('does_not_exist');
    expect(await app.page.getByTestId('run-log').textContent()).toContain('✕ 20990101000000_broken');
    await app.shot('10-failed-migration');
    expect(await schemaDump(app.dbs.dev.url)).toBe(before);
  });

  it('creates a migration from an edited schema.prisma, reviews it and applies it', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    const schema = join(app.projectDir, 'prisma', 'schema.prisma');
    await writeFile(schema, `${await readFile(schema, 'utf8')}\nmodel Clinic {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n\n  @@map("clinics")\n}\n`);
    await app.page.getByTestId('new-migration').click();
    await app.page.getByLabel('Migration name').fill('add clinics');
    await app.page.getByTestId('generate-migration').click();
    const review = app.page.getByTestId('new-migration-review');
    await review.waitFor();
    expect(await review.textContent()).toContain('CREATE TABLE "clinics"');
    await app.shot('11-new-migration-review');
    await app.page.getByTestId('save-migration').click();
    await ui.waitPending('dev', 1);
    await app.page.getByTestId('upgrade-head').click();
    await ui.confirmRun.click();
    await app.page.getByTestId('run-done').waitFor();
    await app.page.keyboard.press('Escape');
    await ui.waitPending('dev', 0);
    expect(await sqlOn(app.dbs.dev.url, "SELECT to_regclass('clinics')::text AS t")).toEqual([{ t: 'clinics' }]);
  });

  it('looks right in the dark theme, with the help dialog and the environment editor', async () => {
    const app = await session.start({ colorScheme: 'dark' });
    await app.page.keyboard.press('?');
    await app.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await app.shot('12-dark-help');
    await app.page.keyboard.press('Escape');
    // An environment whose URL carries a password: it must never reach the page.
    const config = JSON.parse(await readFile(join(app.projectDir, 'godwit.json'), 'utf8')) as { environments: Record<string, unknown> };
    config.environments.stage = { url: 'postgresql://app:hunter2@127.0.0.1:1/stage' };
    await writeFile(join(app.projectDir, 'godwit.json'), JSON.stringify(config));
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await app.page.getByTestId('env-chip-stage').waitFor();
    await app.page.getByTestId('env-chip-stage').dblclick();
    const editor = app.page.getByRole('dialog', { name: 'Environment stage' });
    await editor.waitFor();
    expect(await editor.getByLabel('URL').inputValue()).toBe('postgresql://app:****@127.0.0.1:1/stage');
    await app.shot('13-dark-environment-editor');
    await app.page.keyboard.press('Escape');
    // The theme choice overrides the OS and is remembered in the settings.
    await app.page.getByLabel('Theme').selectOption('light');
    await expect.poll(() => app!.page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme)).toBe('light');
    await app.shot('13b-light-theme-chosen');
    await app.page.getByTestId('env-chip-stage').dblclick();
    expect(await app.page.content()).not.toContain('hunter2');
    await app.page.keyboard.press('Escape');

    // The project screen, and a folder that is not a Prisma project.
    await app.page.getByRole('button', { name: 'Switch project' }).click();
    await app.page.getByLabel('Project folder').fill('/tmp');
    await app.page.getByRole('button', { name: 'Open', exact: true }).click();
    await app.page.getByRole('alert').getByText('/tmp is not a Prisma project').waitFor();
    expect(await app.page.getByRole('button', { name: app.projectDir }).count()).toBe(1);
    await app.shot('14-dark-project-screen');
  });
});
