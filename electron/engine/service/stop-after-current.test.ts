import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressEventDto } from '../../shared/contract.ts';
import { sqlOn, type TestDatabase } from '../testing/test-database.ts';
import { useService } from '../testing/service-fixture.ts';
import { addMigration, DEMO_COUNT, DEMO_HEAD } from '../testing/fixtures.ts';
import type { GodwitService } from './godwit-service.ts';

// Three slow migrations after the demo's: each sleeps, so a stop asked during one lands before the next starts.
const current = useService({ beforeEach, afterEach }, async (dir) => {
  for (const n of [1, 2, 3]) {
    await addMigration(dir, `2099010100000${n}_slow_${n}`, `SELECT pg_sleep(0.4);\nCREATE TABLE "slow_${n}" (id int);`, `SELECT pg_sleep(0.4);\nDROP TABLE "slow_${n}";`);
  }
});
let service: GodwitService;
let db: TestDatabase;
beforeEach(async () => {
  ({ service, db } = current());
  await service.call('project/open', { dir: current().project.dir });
});

/** Asks to stop as soon as `name` starts running in run `runId`. */
function stopWhenStarted(runId: string, name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const off = service.subscribe((e: ProgressEventDto) => {
      if (e.runId === runId && e.type === 'start' && e.name === name) {
        off();
        void service.call('migrations/stop', { runId }).then((r) => resolve(r.stopping));
      }
    });
  });
}

describe('stop after the current migration', () => {
  it('lets the running migration commit, starts nothing more, and reports where the environment stands', async () => {
    // Quick migrations go to the server several to a round trip and finish together; slow ones run alone.
    await service.call('migrations/apply', { env: 'dev', runId: 'up0', to: DEMO_HEAD });
    const stopping = stopWhenStarted('up1', '20990101000002_slow_2');
    const report = await service.call('migrations/apply', { env: 'dev', runId: 'up1' });
    expect(await stopping).toBe(true);
    // The one running when asked finished; the next did not start.
    expect(report.completed.map((c) => c.name)).toEqual(['20990101000001_slow_1', '20990101000002_slow_2']);
    expect(report.stopped).toEqual({ remaining: 1 });
    expect(report.headAfter).toBe('20990101000002_slow_2');
    const [dev] = await service.call('environments/status', { env: 'dev' });
    expect(dev!.head).toBe('20990101000002_slow_2');
    expect(dev!.migrations.find((m) => m.name === '20990101000003_slow_3')!.state).toBe('pending');
    expect(await sqlOn(db.url, `SELECT to_regclass('"slow_2"')::text AS t, to_regclass('"slow_3"')::text AS u`)).toEqual([{ t: 'slow_2', u: null }]);
    // The audit trail says it was a stop, not a failure.
    const [last] = await service.call('audit/list', { env: 'dev' });
    expect(last).toMatchObject({ action: 'up', result: 'ok', error: null });
    expect(last!.note).toMatch(/stopped as asked after 2 of 3 migration\(s\)/);
    // A rollback stops the same way; a stop for a run that has ended (or never was) says so.
    const down = stopWhenStarted('down1', '20990101000001_slow_1');
    const back = await service.call('migrations/rollback', { env: 'dev', base: true, runId: 'down1' });
    expect(await down).toBe(true);
    expect(back.completed.map((c) => c.name)).toEqual(['20990101000002_slow_2', '20990101000001_slow_1']);
    expect(back.stopped).toEqual({ remaining: DEMO_COUNT });
    expect(back.headAfter).toBe(DEMO_HEAD);
    expect(await service.call('migrations/stop', { runId: 'down1' })).toEqual({ stopping: false });
  });
});
