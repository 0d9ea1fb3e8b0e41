// Browser mode in a process of its own, for tests that must see whether a request can make it exit.
// Prints one JSON line { port, token } once it listens.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GodwitService } from '../../engine/service/godwit-service.ts';
import { SettingsStore } from '../../engine/service/settings-store.ts';
import { startBrowserServer } from '../browser-server.ts';

const dir = await mkdtemp(join(tmpdir(), 'godwit-serve-child-'));
await writeFile(join(dir, 'index.html'), '<!doctype html><title>Godwit</title>');
const service = new GodwitService({ settings: new SettingsStore(join(dir, 'settings.json')) });
const server = await startBrowserServer({ service, staticDir: dir });
process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token, dir })}\n`);
