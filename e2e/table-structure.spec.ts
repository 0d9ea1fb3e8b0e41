import { describe, expect, it } from 'vitest';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { screenEveryWay } from './shots2.ts';

const session = appSession();

describe('Tables as a DBA reads them (issue 11 item 6)', () => {
  it('shows a table\'s parts, compares it with another environment and turns the difference into a reviewed migration', async () => {
    // dev is at head (booking_requests.subject), test one behind (still booking_requests.topic).
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    await ui.view('Tables');
    await page.locator('[data-table="booking_requests"]').click();
    const detail = page.locator('[data-testid=table-detail][data-state=ready][data-table="public.booking_requests"]');
    await detail.waitFor();

    // The column grid, in table order, sortable by name.
    const grid = detail.getByTestId('columns-grid');
    const names = () => grid.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')));
    expect(await names()).toEqual(['id', 'address', 'duration', 'subject', 'requested_by', 'status', 'created_at']);
    expect(await grid.locator('tr[data-column=status] td').nth(4).textContent()).toBe("'pending'::text");
    await grid.getByRole('button', { name: 'Column' }).click();
    expect(await names()).toEqual(['address', 'created_at', 'duration', 'id', 'requested_by', 'status', 'subject']);
    expect(await grid.locator('th[aria-sort=ascending]').textContent()).toContain('Column');
    expect(await detail.getByTestId('table-stats').textContent()).toContain('Total size');
    expect(await screenEveryWay(page, 'table-columns')).toEqual([]);

    // Indexes, the DDL and psql's \d are tabs of the same table.
    await detail.getByRole('tab', { name: /^Indexes/ }).click();
    expect(await detail.getByTestId('indexes-grid').textContent()).toContain('booking_requests_pkey');
    await detail.getByRole('tab', { name: 'DDL' }).click();
    await detail.getByTestId('sql-DDL of public.booking_requests').getByText('CREATE TABLE public.booking_requests (').waitFor();
    await detail.getByRole('tab', { name: '\\d' }).click();
    expect(await detail.getByTestId('describe-output').textContent()).toContain('Table "public.booking_requests"');
    await page.locator('[data-table="users"]').click();
    await page.locator('[data-testid=table-detail][data-state=ready][data-table="public.users"]').getByRole('tab', { name: /^Foreign keys/ }).click();
    expect(await page.getByTestId('fk-in-grid').textContent()).toContain('sessions_user_id_fkey');
    expect(await screenEveryWay(page, 'table-foreign-keys')).toEqual([]);
    await page.locator('[data-table="booking_requests"]').click();

    // Against the migrations folder (replayed on a shadow): dev is at head and nobody changed it by hand.
    await detail.getByRole('tab', { name: 'Compare' }).click();
    await detail.getByRole('combobox', { name: 'Compare this table with' }).selectOption('@migrations');
    const folder = detail.locator('[data-testid=table-compare][data-state=ready][data-pair="dev:@migrations"]');
    await folder.waitFor({ timeout: 60_000 });
    expect(await folder.getAttribute('data-differences')).toBe('0');
    expect(await folder.getByTestId('table-compare-summary').textContent()).toContain('The same in dev and migrations');

    // Side by side with test: the rename shows as a column on each side only; the rest is the same and hidden.
    await detail.getByRole('combobox', { name: 'Compare this table with' }).selectOption('test');
    const compare = detail.locator('[data-testid=table-compare][data-state=ready][data-pair="dev:test"]');
    await compare.waitFor();
    expect(await compare.getAttribute('data-differences')).toBe('2');
    const shown = await compare.locator('tbody tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-kind')} ${r.getAttribute('data-name')} ${r.getAttribute('data-status')}`));
    expect(shown).toEqual(['column subject only-a', 'column topic only-b']);
    expect(await compare.locator('tr[data-name=subject] .cmp-status').textContent()).toBe('only in dev');
    await compare.getByLabel('Only differences').uncheck();
    expect(await compare.locator('tr[data-status=same]').count()).toBeGreaterThan(5);
    expect(await screenEveryWay(page, 'table-compare')).toEqual([]);

    // Make dev's table like test's: the SQL opens in the review (destructive DROP COLUMN flagged), saved only on Save.
    await compare.getByTestId('generate-a-like-b').click();
    const dialog = page.getByTestId('table-migration-dialog');
    const review = dialog.getByTestId('new-migration-review');
    await review.waitFor();
    expect(await review.locator('h3 code').textContent()).toMatch(/^\d{14}_match_booking_requests_to_test$/);
    expect(await review.getByTestId('edit-new migration.sql').textContent()).toContain('ALTER TABLE public.booking_requests DROP COLUMN subject;');
    expect(await review.locator('p.warning').first().textContent()).toContain('DROP COLUMN');
    expect(await review.locator('p.warning').nth(1).textContent()).toContain('NOT NULL column without a default');
    expect(await review.locator('p.warning').nth(2).textContent()).toContain('RENAME COLUMN subject TO topic; (keeps the data)');
    expect(await screenEveryWay(page, 'table-migration-review')).toEqual([]);
    const saved = (await review.locator('h3 code').textContent())!;
    await review.getByTestId('save-migration').click();
    await page.locator('[data-testid=new-migration-review][data-analysis=findings]').waitFor();
    await review.getByRole('button', { name: /^Save with \d+ finding/ }).click();

    // Saved: the graph shows it, pending in dev (nothing was applied anywhere).
    await dialog.waitFor({ state: 'detached' });
    await ui.row(saved).waitFor();
    await ui.waitPending('dev', 1);
    expect(await ui.row(saved).getAttribute('aria-label')).toContain('dev: pending');
  });
});
