import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { GodwitService } from '../engine/service/godwit-service.ts';
import { SettingsStore } from '../engine/service/settings-store.ts';
import { startBrowserServer, type BrowserServer } from './browser-server.ts';
import { rawExchange, statusOf } from './testing/raw-http.ts';

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
function send(path: string, headers: Record<string, string>, body = '{}', method = 'POST'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
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

  const wsOpens = (query: string) => new Promise<boolean>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?${query}`, { origin: origin() });
    ws.on('open', () => { ws.close(); resolve(true); });
    ws.on('error', () => resolve(false));
  });
  const alive = async () => (await send('/api/settings/get', { 'x-godwit-token': server.token, origin: origin(), host: host() })).status;

  it('answers a malformed percent-encoding with 400 and stays up', async () => {
    for (const path of ['/%', '/%zz', '/a%', '/%E0%A4%A', '/%00', '/..%2f..%2fetc%2fpasswd']) {
      const raw = await rawExchange(server.port, `GET ${path}?token=${server.token} HTTP/1.1\r\nhost: ${host()}\r\nconnection: close\r\n\r\n`);
      expect([400, 403, 404], path).toContain(statusOf(raw));
    }
    expect(statusOf(await rawExchange(server.port, `GET // HTTP/1.1\r\nhost: ${host()}\r\nconnection: close\r\n\r\n`))).toBe(400);
    expect(await alive()).toBe(200);
  });

  it('refuses a token of the right length with non-ASCII characters, over HTTP and the WebSocket, and stays up', async () => {
    const odd = `${server.token.slice(0, 47)}é`;
    expect(odd.length).toBe(server.token.length);
    const raw = await rawExchange(server.port, Buffer.concat([
      Buffer.from(`POST /api/settings/get HTTP/1.1\r\nhost: ${host()}\r\nx-godwit-token: `),
      Buffer.from(odd, 'utf8'),
      Buffer.from('\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}'),
    ]));
    expect(statusOf(raw)).toBe(401);
    expect(await wsOpens(`token=${encodeURIComponent(odd)}`)).toBe(false);
    expect(await wsOpens(`token=${encodeURIComponent('\u{1F600}'.repeat(12))}`)).toBe(false);
    expect(await alive()).toBe(200);
  });

  it('serves the page only with the token: from the URL (setting an HttpOnly SameSite=Strict cookie) or that cookie', async () => {
    expect((await send('/', { host: host() }, '', 'GET')).status).toBe(401);
    expect((await send('/index.html', { host: host() }, '', 'GET')).status).toBe(401);
    expect((await send('/', { host: host(), cookie: 'godwit-page=nope' }, '', 'GET')).status).toBe(401);
    // The API token is not a page cookie either.
    expect((await send('/', { host: host(), cookie: `godwit-page=${server.token}` }, '', 'GET')).status).toBe(401);
    const first = await send(`/?token=${server.token}`, { host: host() }, '', 'GET');
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>Godwit</title>');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^godwit-page=[0-9a-f]{48}; HttpOnly; SameSite=Strict; Path=\/$/);
    // 127.0.0.1's cookies reach every port of it: the cookie must not hold the API token, nor open the API or socket.
    const secret = cookie.split(';')[0]!.split('=')[1]!;
    expect(secret).not.toBe(server.token);
    expect((await send('/api/settings/get', { host: host(), 'x-godwit-token': secret })).status).toBe(401);
    expect(await wsOpens(`token=${secret}`)).toBe(false);
    const again = await send('/index.html', { host: host(), cookie: cookie.split(';')[0]! }, '', 'GET');
    expect(again.status).toBe(200);
    // The cookie opens the page, not the API: the API still needs the header (a cookie rides along cross-site forms).
    expect((await send('/api/settings/get', { host: host(), cookie: cookie.split(';')[0]! })).status).toBe(401);
  });

  it('answers malformed JSON with 400 bad-request, not internal', async () => {
    const r = await send('/api/settings/get', { 'x-godwit-token': server.token, host: host() }, '{"theme":');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await alive()).toBe(200);
  });
});
