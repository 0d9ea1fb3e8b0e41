import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../electron/engine/testing/test-database.ts';
import { copyDemoProject } from '../electron/engine/testing/temp-project.ts';
import { openProject, selectEnvironments, upgrade, withEnvironment } from '../electron/engine/index.ts';
import { GodwitService } from '../electron/engine/service/godwit-service.ts';
import { SettingsStore } from '../electron/engine/service/settings-store.ts';
import { startBrowserServer, type BrowserServer } from '../electron/server/browser-server.ts';
import { ensureRendererBuilt } from '../electron/server/renderer-build.ts';
import { packageRoot } from '../electron/engine/util/package-root.ts';

export const CHROMIUM = process.env.GODWIT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SHOTS = join(packageRoot(), 'test-results', 'e2e');

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (npm test does it when run as root).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** One running app for one test: a copy of the demo project on three fresh PostgreSQL databases, browser mode, a page. */
export interface AppFixture {
  page: Page;
  server: BrowserServer;
  projectDir: string;
  dbs: Record<'dev' | 'test' | 'prod', TestDatabase>;
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** For injecting axe-core with a script tag (the app's CSP allows only its own scripts). */
  bypassCSP?: boolean;
  /** Where screenshots go (default test-results/e2e). */
  shotsDir?: string;
}

/** Starts the app with dev at head, test one behind, prod (protected) three behind — the demo's positions. */
export async function startApp(browser: Browser, opts: AppOptions = {}): Promise<AppFixture> {
  const project = await copyDemoProject();
  const dbs = { dev: await createTestDatabase(), test: await createTestDatabase(), prod: await createTestDatabase() };
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({
    environments: { dev: { url: dbs.dev.url }, test: { url: dbs.test.url }, prod: { url: dbs.prod.url, protected: true } },
  }, null, 2));
  const open = await openProject(project.dir);
  const names = open.folder.migrations.map((m) => m.name);
  for (const [name, behind] of [['dev', 0], ['test', 1], ['prod', 3]] as const) {
    const [env] = selectEnvironments(open.project, { env: [name] });
    await withEnvironment(env!, (db) => upgrade({ db, env: env!, folder: open.folder }, { to: names[names.length - 1 - behind], confirm: name }));
  }
  return serveProject(browser, project, dbs, opts) as Promise<AppFixture>;
}

/** Browser mode on a prepared project (its godwit.json written): a fresh settings folder, a server, a page. */
export async function serveProject<D extends Record<string, TestDatabase>>(
  browser: Browser, project: { dir: string; remove(): Promise<void> }, dbs: D, opts: AppOptions = {},
): Promise<Omit<AppFixture, 'dbs'> & { dbs: D }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'godwit-e2e-data-'));
  const service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
  await service.call('project/open', { dir: project.dir });
  const server = await startBrowserServer({ service, staticDir: await ensureRendererBuilt() });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 880 }, colorScheme: opts.colorScheme ?? 'light', bypassCSP: opts.bypassCSP ?? false });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.locator('[data-testid=app][data-ready=true]').waitFor();
  const shots = opts.shotsDir ?? SHOTS;
  await mkdir(shots, { recursive: true });
  return {
    page,
    server,
    projectDir: project.dir,
    dbs,
    shot: (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: false }).then(() => undefined),
    async close() {
      await context.close();
      await server.close();
      await service.close();
      await Promise.all(Object.values(dbs).map((d) => d.drop()));
      await project.remove();
      await rm(dataDir, { recursive: true, force: true });
      if (errors.length) throw new Error(`The page threw: ${errors.join('; ')}`);
    },
  };
}
