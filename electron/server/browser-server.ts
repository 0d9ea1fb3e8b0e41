import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { isOperation, parseInput, type Result } from '../shared/contract.ts';
import { GodwitError } from '../engine/index.ts';
import type { GodwitService } from '../engine/service/godwit-service.ts';
import { errorResult } from '../engine/service/to-dto.ts';
import { serveStatic } from './static-files.ts';

const MAX_BODY = 4 * 1024 * 1024;

export interface BrowserServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new GodwitError('too-large', 'Request too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/**
 * Browser mode: the renderer and the contract over HTTP (POST /api/<operation>) and a WebSocket for progress, on
 * 127.0.0.1 only. Every API request needs the per-run token and, from a browser, this server's own Origin and Host
 * (so neither another site nor a DNS-rebinding page can drive it).
 */
export async function startBrowserServer(opts: { service: GodwitService; staticDir: string; port?: number; token?: string }): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  let origins: Set<string> = new Set();
  const allowedHost = (host: string | undefined) => host !== undefined && [...origins].some((o) => o.endsWith(`//${host}`));
  const allowedOrigin = (origin: string | undefined) => origin === undefined || origins.has(origin);

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    if (!allowedHost(req.headers.host)) {
      res.writeHead(421).end('Misdirected request');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET') res.writeHead(405).end();
      else await serveStatic(opts.staticDir, url.pathname, res);
      return;
    }
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    if (!allowedOrigin(req.headers.origin)) return send(403, { ok: false, error: { code: 'forbidden', message: 'Wrong origin.' } });
    if (!sameToken(req.headers['x-godwit-token'] as string | undefined, token)) return send(401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong token: open the URL godwit serve printed.' } });
    const op = url.pathname.slice('/api/'.length);
    if (req.method !== 'POST' || !isOperation(op)) return send(404, { ok: false, error: { code: 'unknown-operation', message: `Unknown operation ${op}.` } });
    try {
      const input = parseInput(op, await readBody(req));
      const value = await opts.service.call(op, input as never);
      send(200, { ok: true, value } satisfies Result<unknown>);
    } catch (err) {
      send(200, errorResult(err));
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/events' || !allowedHost(req.headers.host) || !allowedOrigin(req.headers.origin) || !sameToken(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = opts.service.subscribe((e) => ws.send(JSON.stringify(e)));
      ws.on('close', unsubscribe);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
