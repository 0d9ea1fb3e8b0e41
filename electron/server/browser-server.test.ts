import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { GodwitService } from '../engine/service/godwit-service.ts';
import { SettingsStore } from '../engine/service/settings-store.ts';
import { startBrowserServer, type BrowserServer } from './browser-server.ts';

let dir: string;
let server: BrowserServer;
let service: GodwitService;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'godwit-server-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Godwit</title>');
  service = new GodwitService({ settings: new SettingsStore(join(dir, 'settings.json')) });
  server = await startBrowserServer({ service, staticDir: dir });
});
afterAll(async () => {
  await server.close();
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

/** A raw request, so Host and Origin can be whatever an attacker would send. */
function send(path: string, headers: Record<string, string>, body = '{}'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser mode server', () => {
  const origin = () => `http://127.0.0.1:${server.port}`;
  const host = () => `127.0.0.1:${server.port}`;

  it('listens on 127.0.0.1 and answers the contract with the token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    const ok = await send('/api/settings/get', { 'x-godwit-token': server.token, origin: origin(), host: host() });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { theme: 'system' } });
  });

  it('refuses a missing or wrong token, another origin, a rebound host, unknown operations and bad input', async () => {
    expect((await send('/api/settings/get', { origin: origin(), host: host() })).status).toBe(401);
    expect((await send('/api/settings/get', { 'x-godwit-token': 'f'.repeat(48), host: host() })).status).toBe(401);
    expect((await send('/api/settings/get', { 'x-godwit-token': server.token, origin: 'http://evil.example', host: host() })).status).toBe(403);
    expect((await send('/api/settings/get', { 'x-godwit-token': server.token, host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await send('/api/shell/exec', { 'x-godwit-token': server.token, host: host() })).status).toBe(404);
    const bad = await send('/api/project/open', { 'x-godwit-token': server.token, host: host() }, '{"dir": 42}');
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('opens the progress WebSocket only with the token', async () => {
    const open = (token: string) => new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${token}`, { origin: origin() });
      ws.on('open', () => { ws.close(); resolve(true); });
      ws.on('error', () => resolve(false));
    });
    expect(await open(server.token)).toBe(true);
    expect(await open('nope')).toBe(false);
  });
});
