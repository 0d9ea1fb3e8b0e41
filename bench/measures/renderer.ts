import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { CREATE_HISTORY_TABLE } from '../../electron/engine/history/history-table.ts';
import { migrationChecksum } from '../../electron/engine/migrations/checksum.ts';
import { GodwitService } from '../../electron/engine/service/godwit-service.ts';
import { SettingsStore } from '../../electron/engine/service/settings-store.ts';
import { startBrowserServer } from '../../electron/server/browser-server.ts';
import { ensureRendererBuilt } from '../../electron/server/renderer-build.ts';
import { packageRoot } from '../../electron/engine/util/package-root.ts';
import { BenchDatabases } from '../databases.ts';
import { stats, type BenchContext, type BenchResult } from '../harness.ts';
import { generateMigrations, writeProject, type GeneratedMigration } from '../workloads/generate-project.ts';
import { writeFile } from 'node:fs/promises';

// Frame pacing is switched off so that the time between animation frames is the time it took to produce one, not
// the wait for the next vsync: a frame delta then measures the work a scroll step costs.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-frame-rate-limit', '--disable-gpu-vsync'];

/** The slice of the page's DOM the measurements use (this file is type-checked as Node code). */
type PageGlobals = {
  document: { querySelector(s: string): { scrollTop: number; scrollHeight: number; clientHeight: number } | null };
  requestAnimationFrame(cb: () => void): number;
  setTimeout(cb: () => void, ms: number): number;
  MutationObserver: new (cb: () => void) => { observe(target: unknown, opts: Record<string, boolean>): void; disconnect(): void };
  godwitShownAt?: number;
};

/**
 * Runs in the page before its own scripts: once every selector matches, the time (ms since navigation start) when the
 * frame that first shows them has been painted — a task queued from that frame's animation callback runs after its
 * paint. Taken in the page because Playwright notices an element by polling, at intervals that grow to 500 ms: timed
 * from the test process, first render was rounded up to the next poll.
 */
function markFirstShown(selectors: string[]): void {
  const g = globalThis as unknown as PageGlobals;
  const observer = new g.MutationObserver(() => {
    if (!selectors.every((s) => g.document.querySelector(s))) return;
    observer.disconnect();
    g.requestAnimationFrame(() => g.setTimeout(() => { g.godwitShownAt = performance.now(); }, 0));
  });
  observer.observe(g.document, { childList: true, subtree: true, attributes: true });
}

/** Writes history rows for the first `count` migrations directly: the renderer reads history, not the schema. */
async function seedHistory(url: string, migrations: GeneratedMigration[], count: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(CREATE_HISTORY_TABLE);
    const slice = migrations.slice(0, count);
    await c.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       SELECT id, checksum, name, now(), now(), 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, checksum, name)`,
      [slice.map(() => randomUUID()), slice.map((m) => migrationChecksum(m.up)), slice.map((m) => m.name)],
    );
  } finally {
    await c.end();
  }
}

async function projectWithEnvironments(ctx: BenchContext, dbs: BenchDatabases, count: number, label: string): Promise<string> {
  const migrations = generateMigrations(count);
  const dir = await writeProject(join(ctx.tmp, `${label}-project`), migrations);
  const envs: Record<string, { url: string; protected?: boolean }> = {};
  for (const [name, behind] of [['dev', 0], ['test', 10], ['prod', Math.floor(count / 2)]] as const) {
    const url = await dbs.create(`${label}${name}`);
    await seedHistory(url, migrations, count - behind);
    envs[name] = { url, ...(name === 'prod' ? { protected: true } : {}) };
  }
  await writeFile(join(dir, 'godwit.json'), JSON.stringify({ environments: envs }));
  return dir;
}

/** B6: the revision graph of 10,000 migrations × 3 environments in Chromium. */
export async function benchRenderer(ctx: BenchContext): Promise<BenchResult[]> {
  const count = ctx.quick ? 500 : 10_000;
  const dbs = new BenchDatabases(ctx.serverUrl);
  const browser = await chromium.launch({ executablePath: process.env.GODWIT_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const dir = await projectWithEnvironments(ctx, dbs, count, 'b6');
    const service = new GodwitService({ settings: new SettingsStore(join(ctx.tmp, 'b6-settings.json')) });
    await service.call('project/open', { dir });
    const server = await startBrowserServer({ service, staticDir: await ensureRendererBuilt() });
    const firstRender: number[] = [];
    const frames: number[] = [];
    const heap: number[] = [];
    try {
      for (let run = 0; run < (ctx.quick ? 1 : 3); run++) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        // The statuses of the three environments are part of the first render (the graph's lanes and heads), and
        // the scroll below measures a loaded graph, not the frame in which the statuses land.
        const shown = [`[data-testid=revision-graph][data-rows="${count}"]`, '[data-migration]', '[data-testid=status-as-of]'];
        await page.addInitScript(markFirstShown, shown);
        await page.goto(server.url);
        for (const selector of shown) await page.locator(selector).first().waitFor({ timeout: 120_000 });
        await page.waitForFunction(() => (globalThis as unknown as PageGlobals).godwitShownAt !== undefined);
        firstRender.push(await page.evaluate(() => (globalThis as unknown as PageGlobals).godwitShownAt!));
        // Scroll the graph top to bottom, one step per animation frame, recording every frame's duration.
        const deltas = await page.evaluate(async () => {
          const g = globalThis as unknown as PageGlobals;
          const el = g.document.querySelector('[data-testid=revision-graph]')!;
          const out: number[] = [];
          let last = performance.now();
          const steps = 240;
          const step = (el.scrollHeight - el.clientHeight) / steps;
          for (let i = 0; i < steps; i++) {
            el.scrollTop = step * (i + 1);
            await new Promise<void>((r) => g.requestAnimationFrame(() => r()));
            const now = performance.now();
            out.push(now - last);
            last = now;
          }
          return out;
        });
        frames.push(...deltas.slice(2));
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        await cdp.send('HeapProfiler.collectGarbage');
        const { metrics } = await cdp.send('Performance.getMetrics');
        heap.push((metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20);
        await page.close();
      }
    } finally {
      await server.close();
      await service.close();
    }
    const sorted = [...frames].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    const what = `revision graph, ${count} migrations × 3 environments, Chromium`;
    const fr = stats(firstRender);
    const hp = stats(heap);
    return [
      { id: 'B6a', what: `${what}: time to first render`, unit: 'ms', godwit: fr, baseline: null, baselineName: 'target 1,500 ms', ratio: fr.median / 1500, target: '< 1.5 s', pass: fr.median < 1500, note: 'From navigation start: loading the app, the status of three environments and the first paint (timed in the page: the frame showing them, painted).' },
      { id: 'B6b', what: `${what}: p95 frame time while scrolling`, unit: 'ms', godwit: stats([p95]), baseline: null, baselineName: '60 fps frame budget (16.7 ms)', ratio: p95 / 16.7, target: '< 16.7 ms', pass: p95 < 16.7, note: `${frames.length} frames scrolled top to bottom, frame-rate limit off (a delta is the cost of a frame).` },
      { id: 'B6c', what: `${what}: JS heap after GC`, unit: 'MB', godwit: hp, baseline: null, baselineName: 'target 150 MB', ratio: hp.median / 150, target: '< 150 MB', pass: hp.median < 150 },
    ];
  } finally {
    await browser.close();
    await dbs.dropAll();
  }
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** B7: resident memory of browser mode (`godwit serve`) holding a 1,000-migration project with three environments. */
export async function benchServerMemory(ctx: BenchContext): Promise<BenchResult[]> {
  const count = ctx.quick ? 50 : 1000;
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const dir = await projectWithEnvironments(ctx, dbs, count, 'b7');
    const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'godwit.cjs'), 'serve', '--project', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GODWIT_DATA_DIR: join(ctx.tmp, 'b7-data') } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`godwit serve exited ${code}`)));
      });
      const u = new URL(url);
      const token = u.searchParams.get('token')!;
      const api = (op: string, body: unknown) => fetch(new URL(`/api/${op}`, u), { method: 'POST', headers: { 'content-type': 'application/json', 'x-godwit-token': token, origin: u.origin }, body: JSON.stringify(body) }).then((r) => r.json());
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        await api('environments/status', {});
        await api('migrations/preview', { env: 'prod', direction: 'up' });
        samples.push(await rssMb(child.pid!));
      }
      const s = stats(samples);
      return [{ id: 'B7', what: `browser mode resident memory, ${count} migrations × 3 environments loaded`, unit: 'MB', godwit: s, baseline: null, baselineName: 'target 300 MB', ratio: s.median / 300, target: '< 300 MB', pass: s.median < 300 }];
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    await dbs.dropAll();
  }
}
