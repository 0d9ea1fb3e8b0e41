import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GodwitService } from './godwit-service.ts';
import { SettingsStore } from './settings-store.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { copyDemoProject, type TempProject } from '../testing/temp-project.ts';
import { CANARY } from '../testing/canary.ts';

let db: TestDatabase;
let project: TempProject;
let dataDir: string;
let fake: Server;
const received: Buffer[] = [];
const previous = process.env.GODWIT_DATA_DIR;

beforeEach(async () => {
  db = await createTestDatabase();
  project = await copyDemoProject();
  dataDir = await mkdtemp(join(tmpdir(), 'godwit-stored-pw-'));
  process.env.GODWIT_DATA_DIR = dataDir;
  await writeFile(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { stage: { url: db.url } } }));
  // A server that asks every client for its password in clear text and keeps what it gets.
  fake = createServer((socket) => {
    socket.once('data', () => {
      socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
      setTimeout(() => socket.destroy(), 300); // whatever came by then was sent at once
    });
    socket.on('data', (d) => received.push(d));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  fake.close();
  process.env.GODWIT_DATA_DIR = previous;
  await db.drop();
  await project.remove();
  await rm(dataDir, { recursive: true, force: true });
});

it("sends an environment's saved password only to the database and role it was saved for", async () => {
  const service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
  try {
    await service.call('project/open', { dir: project.dir });
    await service.call('environments/save', { name: 'stage', previousName: 'stage', url: db.url, protected: false, password: CANARY });
    const port = (fake.address() as { port: number }).port;
    const elsewhere = await service.call('environments/test', { name: 'stage', url: `postgresql://postgres@127.0.0.1:${port}/x` });
    expect(elsewhere.ok).toBe(false);
    expect(Buffer.concat(received).toString('latin1')).not.toContain(CANARY);
    // Its own database still gets it (and answers with its version).
    const home = await service.call('environments/test', { name: 'stage', url: db.url });
    expect(home).toMatchObject({ ok: true, message: expect.stringMatching(/^Connected to PostgreSQL \d+/) });
  } finally {
    await service.close();
  }
});
