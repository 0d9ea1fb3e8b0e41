import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { openProject, selectEnvironments, upgrade, withEnvironment } from '../electron/engine/index.ts';

const SELECTED = '20250405090000_create_patient_symptoms';
const session = appSession();

describe('live state', () => {
  it('shows a change made elsewhere when the window regains focus, keeping the selection and the drift result', async () => {
    const app = await session.start();
    const ui = new AppPage(app.page);
    const asOf = () => app!.page.getByTestId('status-as-of').getAttribute('data-as-of').then(Number);
    await ui.row(SELECTED).click();
    await app.page.getByTestId('check-drift').click();
    await app.page.getByTestId('drift-result').getByText('(checked').waitFor();
    const first = await asOf();

    // Another user upgrades test from the command line.
    const open = await openProject(app.projectDir);
    const [env] = selectEnvironments(open.project, { env: ['test'] });
    await withEnvironment(env!, (db) => upgrade({ db, env: env!, folder: open.folder }, {}));
    await app.page.evaluate(() => (globalThis as unknown as { dispatchEvent(e: unknown): void; Event: new (t: string) => unknown }).dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('focus')));
    await ui.waitPending('test', 0);
    expect(await asOf()).toBeGreaterThan(first);
    expect(await ui.row(SELECTED).getAttribute('aria-selected')).toBe('true');
    expect(await app.page.getByTestId('migration-detail').locator('h2').textContent()).toBe(SELECTED);
    // The drift result stays until checked again, with the time it was checked.
    expect(await app.page.getByTestId('drift-result').textContent()).toMatch(/^No drift: .+\(checked .+\)$/);
    await app.shot('live-state-after-focus');
  });
});
