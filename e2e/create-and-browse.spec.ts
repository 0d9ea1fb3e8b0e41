import { afterEach, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appSession } from './app-session.ts';
import { AppPage } from './pages/app-page.ts';
import { screenEveryWay } from './shots2.ts';

const session = appSession();
const realHome = process.env.HOME;
let fakeHome: string | undefined;
afterEach(async () => {
  process.env.HOME = realHome;
  if (fakeHome) await rm(fakeHome, { recursive: true, force: true });
  fakeHome = undefined;
});

describe('new migration review with editable SQL (issue 11 item 7)', () => {
  it('re-analyses the edited SQL before saving and shows a destructive statement before it is saved', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    const ui = new AppPage(page);
    const schema = join(app.projectDir, 'prisma', 'schema.prisma');
    await writeFile(schema, `${await readFile(schema, 'utf8')}\nmodel Clinic {\n  id   Int    @id @default(autoincrement())\n  name String @unique\n\n  @@map("clinics")\n}\n`);
    await page.getByTestId('new-migration').click();
    await page.getByLabel('Migration name').fill('add clinics');
    await page.getByTestId('generate-migration').click();
    const review = page.getByTestId('new-migration-review');
    await review.waitFor();
    // Edit: a hand-written line appended to migration.sql.
    await review.getByTestId('edit-new migration.sql').locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nDROP TABLE "sessions";');
    expect(await review.getAttribute('data-analysis')).toBe('stale');
    await page.getByTestId('save-migration').click();
    // Analysed as edited: the DROP TABLE is named, nothing is saved yet, saving now needs a second explicit click.
    await page.locator('[data-testid=new-migration-review][data-analysis=findings]').waitFor();
    expect(await review.getByTestId('review-warning').first().textContent()).toContain('DROP TABLE');
    expect(await page.getByTestId('save-migration').textContent()).toBe('Save with 1 finding(s)');
    const dir = join(app.projectDir, 'migrations');
    const saved = () => readdirSync(dir).some((d) => d.endsWith('_add_clinics'));
    expect(saved()).toBe(false);
    expect(await screenEveryWay(page, 'new-migration-findings')).toEqual([]);
    await page.getByTestId('save-migration').click();
    await ui.waitPending('dev', 1);
    const name = readdirSync(dir).find((d) => d.endsWith('_add_clinics'))!;
    const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "clinics"');
    expect(sql.trimEnd().endsWith('DROP TABLE "sessions";')).toBe(true);
  });
});

describe('browser mode folder picker (issue 11 item 10)', () => {
  it('browses the home folder only, opens a project without a typed path, and lists the demo', async () => {
    const app = await session.start({ bypassCSP: true });
    const { page } = app;
    fakeHome = realpathSync(await mkdtemp(join(tmpdir(), 'godwit-home-')));
    await mkdir(join(fakeHome, 'code', 'notes'), { recursive: true });
    await cp(app.projectDir, join(fakeHome, 'code', 'clinic'), { recursive: true });
    process.env.HOME = fakeHome; // os.homedir() reads it: the in-process server now confines browsing to fakeHome
    await page.getByRole('button', { name: 'Switch project' }).click();
    const picker = page.getByTestId('folder-picker');
    await page.locator(`[data-testid=folder-picker][data-path="${fakeHome}"]`).waitFor();
    expect(await page.getByTestId('folder-up').isDisabled()).toBe(true);
    expect(await page.getByTestId('recent-demo').count()).toBe(1);
    await picker.locator('[data-folder=code] button.folder').click();
    await page.locator(`[data-testid=folder-picker][data-path="${join(fakeHome, 'code')}"]`).waitFor();
    expect(await picker.locator('[data-folder=clinic]').textContent()).toContain('project');
    expect(await picker.locator('[data-folder=notes]').textContent()).not.toContain('project');
    expect(await screenEveryWay(page, 'folder-picker')).toEqual([]);
    // Outside the home, the server refuses, whatever the page asks.
    const refused = await page.evaluate(async () => {
      const t = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('godwit-token') ?? '';
      const res = await fetch('./api/project/browse', { method: 'POST', headers: { 'content-type': 'application/json', 'x-godwit-token': t }, body: JSON.stringify({ path: '/etc' }) });
      return res.json() as Promise<{ ok: boolean; error?: { message: string } }>;
    });
    expect(refused.ok).toBe(false);
    expect(refused.error!.message).toBe(`Only folders inside ${fakeHome} can be browsed.`);
    const overview = page.waitForResponse((r) => r.url().includes('/api/project/overview'));
    await picker.getByRole('button', { name: 'Open clinic' }).click();
    await page.locator('[data-testid=app][data-ready=true]').waitFor();
    expect(await page.locator('.topbar h1').textContent()).toBe('clinic');
    // The statuses on screen came without the project: the page held the very reading `project/open` gave it.
    const answer = (await (await overview).json()) as { ok: boolean; value: { project: unknown; reading: number } };
    expect(answer.ok).toBe(true);
    expect(answer.value.project).toBeNull();
    expect(answer.value.reading).toBeGreaterThan(0);
  });
});
