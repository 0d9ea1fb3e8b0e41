import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { OPERATIONS } from '../shared/operation-names.ts';
import { rawExchange, statusOf } from './testing/raw-http.ts';

// Thousands of generated requests against browser mode in its own process: after every batch a good request must
// still be answered, and the process must still be running. Seeded, so a failure replays.
let child: ChildProcess;
let port = 0;
let token = '';
let dir = '';
let exited: string | null = null;
let stderr = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'serve-child.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('exit', (code, signal) => (exited = `exit code ${code} signal ${signal}`));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
    child.once('exit', () => reject(new Error(`server did not start: ${stderr}`)));
  });
  ({ port, token, dir } = JSON.parse(line) as { port: number; token: string; dir: string });
});
afterAll(async () => {
  child.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes };
}

const SAFE_OPS = OPERATIONS.filter((op) => !op.startsWith('project/')); // never let the fuzzer open a real folder

function generate(r: ReturnType<typeof rng>): Buffer {
  const host = () => r.pick([`127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', '', `127.0.0.1:${port}\u00e9`, '[::1]', 'x'.repeat(2000)]);
  const tok = () => r.pick([token, '', 'f'.repeat(48), `${token.slice(0, 47)}\u00e9`, '\u{1F600}'.repeat(12), token.repeat(50), r.bytes(48).toString('latin1')]);
  const path = () => r.pick([
    '/', '/index.html', '/%', '/%zz', '/%E0%A4%A', '/%00', '/..%2f..%2fetc%2fpasswd', '/a/../../b', '//', '///x', '/?token=' + tok(),
    `/?token=${encodeURIComponent(tok())}`, '/api/', '/api/%', `/api/${r.pick(SAFE_OPS)}`, `/api/${r.pick(SAFE_OPS)}%`, '/api/events',
    `/api/events?token=${encodeURIComponent(tok())}`, '/' + 'a'.repeat(r.int(9000)), '/' + encodeURIComponent(r.bytes(30).toString('latin1')),
    '*', 'http://evil.example/', '/\u00e9\u00ff', '/%c0%ae%c0%ae/',
  ]);
  const json = () => r.pick([
    '{}', '', '{', '{"theme":', 'null', '[]', '"x"', '1e309', '{"__proto__":{"x":1}}', '{"env":"dev","name":1}',
    JSON.stringify({ env: 'x'.repeat(r.int(300)), name: r.bytes(20).toString('latin1'), steps: r.int(10) - 5, to: null, drift: 'yes' }),
    JSON.stringify({ theme: r.pick(['dark', 'light', 'system', 'x', 1]) }), '{"a":'.repeat(r.int(5000)), r.bytes(r.int(2000)).toString('latin1'),
  ]);
  const method = r.pick(['GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'G\u00e9T', 'CONNECT', '']);
  const body = Buffer.from(json(), r.pick(['utf8', 'latin1'] as const));
  const headers: string[] = [];
  if (r.next() < 0.9) headers.push(`host: ${host()}`);
  if (r.next() < 0.5) headers.push(`origin: ${r.pick([`http://127.0.0.1:${port}`, 'http://evil.example', 'null', '', r.bytes(10).toString('latin1')])}`);
  if (r.next() < 0.7) headers.push(`x-godwit-token: ${tok()}`);
  if (r.next() < 0.3) headers.push(`cookie: ${r.pick([`godwit-token=${tok()}`, 'godwit-token', '=;=;', 'a=b; godwit-token=' + token])}`);
  if (r.next() < 0.2) headers.push('upgrade: websocket', 'connection: Upgrade', `sec-websocket-key: ${r.pick(['dGhlIHNhbXBsZSBub25jZQ==', '', 'x'])}`, `sec-websocket-version: ${r.pick(['13', '8', 'x'])}`);
  if (r.next() < 0.1) headers.push(`${r.bytes(8).toString('latin1')}: ${r.bytes(8).toString('latin1')}`);
  if (r.next() < 0.1) headers.push('transfer-encoding: chunked');
  const length = r.pick([body.length, body.length, 0, body.length + 5, -1, 1e12]);
  if (r.next() < 0.9) headers.push(`content-length: ${length}`);
  headers.push('connection: close');
  if (r.next() < 0.05) return r.bytes(r.int(3000)); // not HTTP at all
  return Buffer.concat([Buffer.from(`${method} ${path()} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

async function goodRequest(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/settings/get`, { method: 'POST', headers: { 'x-godwit-token': token, 'content-type': 'application/json' }, body: '{}' });
  return res.status;
}

/** An authenticated progress socket that is sent garbage, binary and oversized frames. */
function abuseSocket(r: ReturnType<typeof rng>): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    const finish = () => resolve();
    const timer = setTimeout(() => { ws.terminate(); finish(); }, 1000);
    ws.on('error', () => undefined);
    ws.on('close', () => { clearTimeout(timer); finish(); });
    ws.on('open', () => {
      for (let i = 0; i < 5; i++) {
        const kind = r.int(4);
        if (kind === 0) ws.send(r.bytes(r.int(500)));
        else if (kind === 1) ws.send(r.bytes(r.int(200)).toString('latin1'));
        else if (kind === 2) ws.send(Buffer.alloc(200_000)); // beyond the server's frame limit
        else (ws as unknown as { _socket: import('node:net').Socket })._socket.write(r.bytes(r.int(64))); // not even a frame
      }
      setTimeout(() => ws.terminate(), 50);
    });
  });
}

describe('browser mode under fuzzing', () => {
  it('answers every generated request, keeps answering a good one after each batch, and never exits', async () => {
    const r = rng(20261122);
    const batches = 30;
    const perBatch = 100;
    let answered = 0;
    for (let b = 0; b < batches; b++) {
      const raws = await Promise.all(Array.from({ length: perBatch }, () => rawExchange(port, generate(r), 2000)));
      answered += raws.filter((x) => statusOf(x) >= 400 || statusOf(x) === 200 || statusOf(x) === 101).length;
      await Promise.all(Array.from({ length: 5 }, () => abuseSocket(r)));
      expect(exited, `server exited after batch ${b}: ${stderr}`).toBeNull();
      expect(await goodRequest(), `after batch ${b}`).toBe(200);
    }
    // Most generated requests must get a real answer (the rest are bytes that are not HTTP, or sockets Node's parser
    // drops after its own 400).
    expect(answered).toBeGreaterThan(batches * perBatch * 0.8);
    expect(stderr).not.toMatch(/Error/);
  });
});
