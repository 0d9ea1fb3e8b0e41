import { describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { sqlOn } from '../electron/engine/testing/test-database.ts';
import { addMigration, DEMO_HEAD } from '../electron/engine/testing/fixtures.ts';
import { openProject, selectEnvironments, upgrade, withEnvironment } from '../electron/engine/index.ts';

// Issue 11's defects, each with the state the fix must show (state markers, no sleeps).
const FIRST = '20250301090000_create_users';
const session = appSession();

// The Node typecheck has no DOM types: these run in the page, typed as little as they need.
type El = { dataset: Record<string, string | undefined>; id: string; tagName: string; textContent: string | null; getAttribute(n: string): string | null };
const win = () => globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(p: string): string }; document: { activeElement: El | null } };
const style = (l: Locator, prop: string) => l.evaluate((el, p) => (globalThis as unknown as ReturnType<typeof win>).getComputedStyle(el).getPropertyValue(p), prop);
const focused = (page: Page) => page.evaluate(() => {
  const el = (globalThis as unknown as ReturnType<typeof win>).document.activeElement;
  return el ? (el.dataset.testid ?? el.getAttribute('aria-label') ?? (el.id || el.tagName)) : null;
});
const focusedText = (page: Page) => page.evaluate(() => (globalThis as unknown as ReturnType<typeof win>).document.activeElement?.textContent ?? null);

describe('issue 11 defects', () => {
  it('coloured buttons and the selected tab keep their colours under the pointer', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    await ui.selectEnv('test');
    const upgrade = app.page.getByTestId('upgrade-head');
    const before = await style(upgrade, 'background-color');
    await upgrade.hover();
    const hovered = await style(upgrade, 'background-color');
    expect(hovered).not.toBe('rgb(233, 235, 239)'); // --bg3, the plain buttons' hover
    expect(hovered).not.toBe(before); // it does react to the pointer
    expect(await style(upgrade, 'color')).toBe('rgb(255, 255, 255)');
    const selectedView = app.page.getByRole('button', { name: 'Migrations', exact: true });
    await selectedView.hover();
    expect(await style(selectedView, 'background-color')).toBe('rgb(36, 87, 197)'); // --accent
    await app.page.getByTestId('rollback-base').click();
    await ui.confirmName.fill('test');
    await expect.poll(() => ui.confirmRun.isEnabled()).toBe(true);
    await ui.confirmRun.hover();
    expect(await style(ui.confirmRun, 'background-color')).not.toBe('rgb(233, 235, 239)');
    expect(await style(ui.confirmRun, 'color')).toBe('rgb(255, 255, 255)');
    await app.shot('defect-danger-hover');
  });

  it('disables actions that cannot work, with the reason, instead of a dialog stuck on "Working out…"', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    // While the status loads the toolbar neither claims "at base" nor offers Upgrade. Opening a project shows it at
    // once and its statuses when they come (a page load waits for both: they come in one answer).
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    await app.page.route('**/api/project/overview', async (route) => { await held; await route.continue(); });
    await app.page.getByRole('button', { name: 'Switch project' }).click();
    await app.page.getByTestId('recent-projects').getByRole('button', { name: app.projectDir }).click();
    await app.page.getByTestId('toolbar-head').getByText('loading…').waitFor();
    expect(await app.page.getByTestId('upgrade-head').getAttribute('aria-disabled')).toBe('true');
    expect(await app.page.getByTestId('upgrade-head').getAttribute('data-reason')).toBe("dev's status is still loading.");
    await app.shot('defect-loading-toolbar');
    release();
    await ui.settled();
    await app.page.unroute('**/api/project/overview');

    // test is one behind: its head migration is pending there, the first one applied.
    await ui.selectEnv('test');
    await ui.row(DEMO_HEAD).click();
    const rollbackHere = app.page.getByTestId('rollback-to-here');
    await rollbackHere.waitFor();
    expect(await rollbackHere.getAttribute('data-reason')).toBe(`${DEMO_HEAD} is not applied in test, so it cannot be the target of a rollback.`);
    await rollbackHere.click({ force: true });
    await rollbackHere.focus();
    await app.page.getByRole('tooltip').getByText('is not applied in test').waitFor();
    await app.shot('defect-disabled-reason');
    expect(await ui.runDialog.count()).toBe(0);
    await ui.row(FIRST).click();
    await app.page.locator(`[data-testid="upgrade-to-here"][data-reason="${FIRST} is already applied in test."]`).waitFor();
    await app.page.getByTestId('upgrade-to-here').click({ force: true });
    expect(await ui.runDialog.count()).toBe(0);

    // An edited migration blocks every run on test: Upgrade to head says so, and the shortcut opens nothing.
    await appendFile(join(app.projectDir, 'migrations', FIRST, 'migration.sql'), '\n-- edited after apply\n');
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await app.page.locator('[data-testid="upgrade-head"][aria-disabled="true"]').waitFor();
    expect(await app.page.getByTestId('upgrade-head').getAttribute('data-reason')).toContain(`${FIRST} was edited after it was applied to test`);
    await app.page.getByTestId('revision-graph').focus();
    await app.page.keyboard.press('u');
    expect(await ui.runDialog.count()).toBe(0);

    // An unreachable environment: every action that needs its database says so.
    const config = JSON.parse(await readFile(join(app.projectDir, 'godwit.json'), 'utf8')) as { environments: Record<string, unknown> };
    config.environments.offline = { url: 'postgresql://app@127.0.0.1:1/app' };
    await writeFile(join(app.projectDir, 'godwit.json'), JSON.stringify(config));
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.envChip('offline').getByText('unreachable').waitFor();
    await ui.selectEnv('offline');
    for (const id of ['upgrade-head', 'rollback-one', 'rollback-base', 'preview-pending', 'new-migration', 'check-drift']) {
      expect(await app.page.getByTestId(id).getAttribute('data-reason'), id).toMatch(/^offline cannot be reached: /);
    }
    expect(await app.page.getByTestId('toolbar-head').textContent()).toBe('unreachable');
  });

  it('says "nothing to do" without a 0-migration button when another user moved the environment meanwhile', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    await ui.selectEnv('test');
    const open = await openProject(app.projectDir);
    const [env] = selectEnvironments(open.project, { env: ['test'] });
    await withEnvironment(env!, (db) => upgrade({ db, env: env!, folder: open.folder }, {}));
    await app.page.getByTestId('upgrade-head').click(); // the page still shows 1 pending: its status is older
    await ui.runDialog.getByText('Nothing to do: test is already there.').waitFor();
    expect(await ui.confirmRun.count()).toBe(0);
  });

  it('after a failure names where the run stopped once, numbers a long log, and shows the failing line', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    for (let i = 10; i < 21; i++) await addMigration(app.projectDir, `209901010000${i}_ok_${i}`, `CREATE TABLE "t${i}" (id int);\n`, `DROP TABLE "t${i}";\n`);
    await addMigration(app.projectDir, '20990101000099_broken', 'CREATE TABLE "half" (id int);\nSELECT * FROM "does_not_exist";\n');
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.waitPending('dev', 12);
    await app.page.getByTestId('upgrade-head').click();
    await ui.confirmRun.click();
    const failed = app.page.getByTestId('run-failed');
    await failed.waitFor();
    const description = app.page.locator('[data-testid=run-dialog] .modal-description');
    await description.getByText('Stopped at 20990101000099_broken. dev is now at 20990101000020_ok_20.').waitFor();
    const dialogText = (await ui.runDialog.textContent())!;
    expect(dialogText).not.toContain('head afterwards');
    expect(dialogText.match(/rolled back/g)).toHaveLength(1);
    expect(await failed.locator('.cm-failing-line').textContent()).toContain('does_not_exist');
    expect(await app.page.getByTestId('run-progress').getAttribute('data-done')).toBe('11');
    // Numbers past 9 are whole: the number column is wide enough and nothing is cut.
    const n12 = app.page.getByTestId('run-log').locator('.log-line', { hasText: '20990101000099_broken' }).locator('.log-n');
    expect(await n12.textContent()).toBe('12.');
    expect(await n12.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().left >= el.closest('.run-log')!.getBoundingClientRect().left)).toBe(true);
    await app.shot('defect-failed-run');
    await app.page.keyboard.press('Escape');
    // Focus goes back to the main region (the Upgrade button that opened it is now gated), not to <body>.
    await expect.poll(() => focused(app!.page)).not.toBe('BODY');
  });

  it('compares the selected pair only, draws branches and long lane names, and says what filters mean', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    // A migration applied in prod but absent from the folder, and an environment with a long name.
    await sqlOn(app.dbs.prod.url, `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x1', 'abc', '20250330090000_hotfix_on_prod', now(), 1)`);
    const config = JSON.parse(await readFile(join(app.projectDir, 'godwit.json'), 'utf8')) as { environments: Record<string, unknown> };
    config.environments['staging-eu-west-1'] = { url: app.dbs.test.url };
    await writeFile(join(app.projectDir, 'godwit.json'), JSON.stringify(config));
    await app.page.getByRole('button', { name: 'Refresh status' }).click();
    await ui.head('staging-eu-west-1').waitFor();
    const pill = await ui.head('staging-eu-west-1').boundingBox();
    const lane = await ui.head('staging-eu-west-1').locator('xpath=..').boundingBox();
    expect(pill!.x + pill!.width).toBeLessThanOrEqual(lane!.x + lane!.width + 0.5);
    expect(await ui.head('staging-eu-west-1').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const branch = ui.row('20250330090000_hotfix_on_prod').locator('svg.branch-mark');
    expect((await branch.boundingBox())!.width).toBeGreaterThan(8);
    expect(await ui.row('20250330090000_hotfix_on_prod').getAttribute('aria-label')).toContain('prod: missing locally');
    expect(await ui.row(DEMO_HEAD).getAttribute('aria-label')).toBe(`${DEMO_HEAD} — dev: applied, test: pending, prod: pending, staging-eu-west-1: pending; head of dev`);
    expect(await app.page.getByLabel('Filter by state').locator('option[value="pending"]').textContent()).toBe('Pending in any environment');
    await app.shot('defect-graph-branch-long-lane');

    // Compare: switching to prod clears dev's result and the partner that is now prod itself.
    await ui.view('Tables');
    await app.page.getByRole('combobox', { name: 'Compare with' }).selectOption('prod');
    await app.page.getByRole('button', { name: 'Compare', exact: true }).click();
    await app.page.locator('[data-testid=compare-output][data-pair="dev:prod"]').waitFor();
    await ui.selectEnv('prod');
    await expect.poll(() => app!.page.getByTestId('compare-output').count()).toBe(0);
    expect(await app.page.getByRole('combobox', { name: 'Compare with' }).inputValue()).toBe('');
    expect(await app.page.getByRole('button', { name: 'Compare', exact: true }).isDisabled()).toBe(true);
    await app.page.getByRole('combobox', { name: 'Compare with' }).selectOption('dev');
    await app.page.getByRole('button', { name: 'Compare', exact: true }).click();
    await app.page.locator('[data-testid=compare-output][data-pair="prod:dev"]').getByText('difference(s) between prod and dev').waitFor();
  });

  it('resets Copy for another script, restores focus after dialogs, and follows the tabs pattern', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await ui.selectEnv('test');
    await app.page.getByTestId('preview-pending').click();
    const preview = app.page.getByTestId('preview-dialog');
    await preview.getByText(`-- Upgrade: ${DEMO_HEAD} (migration.sql)`).waitFor();
    await app.page.getByTestId('copy-sql').click();
    await app.page.getByTestId('copy-sql').getByText('Copied').waitFor();
    await preview.getByLabel('Direction').selectOption('down');
    await preview.getByText('-- Rollback').first().waitFor();
    expect(await app.page.getByTestId('copy-sql').textContent()).toBe('Copy');
    await app.page.keyboard.press('Escape');
    await expect.poll(() => focused(app!.page)).toBe('preview-pending');

    await ui.row(FIRST).click();
    const up = app.page.getByRole('tab', { name: 'migration.sql' });
    await up.focus();
    await app.page.keyboard.press('ArrowRight');
    await app.page.locator('[role=tab][aria-selected=true]', { hasText: 'down.sql' }).waitFor();
    await expect.poll(() => focusedText(app!.page)).toBe('down.sql');
    const panel = app.page.getByRole('tabpanel');
    expect(await panel.getAttribute('aria-labelledby')).toBe(await app.page.getByRole('tab', { name: 'down.sql' }).getAttribute('id'));
    expect(await app.page.getByRole('main').count()).toBe(1);

    // The split between graph and detail moves with the keyboard (and the pointer), and is announced as a separator.
    const splitter = app.page.getByRole('separator', { name: 'Resize the revision graph' });
    const graphWidth = () => app!.page.locator('section.graph').evaluate((el) => el.getBoundingClientRect().width);
    const before = await graphWidth();
    await splitter.focus();
    await app.page.keyboard.press('ArrowRight');
    await app.page.keyboard.press('ArrowRight');
    await expect.poll(graphWidth).toBeCloseTo(before + 48, 0);
    expect(Number(await splitter.getAttribute('aria-valuenow'))).toBeCloseTo(before + 48, 0);
  });
});
