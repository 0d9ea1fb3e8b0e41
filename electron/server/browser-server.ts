import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { isOperation, parseInput, type Result } from '../shared/contract.ts';
import { GodwitError, describeError } from '../engine/util/errors.ts';
import type { GodwitService } from '../engine/service/godwit-service.ts';
import { errorResult } from '../engine/service/to-dto.ts';
import { serveStatic } from './static-files.ts';
import { originPolicy, sameToken, tokenCookie, tokenCookieHeader } from './access.ts';

const MAX_BODY = 4 * 1024 * 1024;
/** The page never sends on the progress socket; a frame bigger than this is refused (and the socket closed). */
const MAX_FRAME = 64 * 1024;

export interface BrowserServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

type Reply = { status: number; body: Result<unknown> };
const refuse = (status: number, code: string, message: string): Reply => ({ status, body: { ok: false, error: { code, message } } });

async function readBody(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new GodwitError('too-large', 'Request too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new GodwitError('bad-request', 'The request body is not valid JSON.');
  }
}

/**
 * Browser mode: the renderer and the contract over HTTP (POST /api/<operation>) and a WebSocket for progress, on
 * 127.0.0.1 only. Every request needs the per-run token: the API in the x-godwit-token header, the progress socket in
 * its URL, the page and its assets in the URL (`/?token=…`, which sets an HttpOnly SameSite=Strict cookie holding a
 * page-only secret, not the token) or that cookie. From a browser, the API and the socket also need this server's own Origin, and everything its own Host (so
 * neither another site nor a DNS-rebinding page can drive it). Any request, however malformed, gets an answer: no
 * handler can take the server down.
 */
export async function startBrowserServer(opts: { service: GodwitService; staticDir: string; port?: number; token?: string }): Promise<BrowserServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  // What the page cookie holds: opens the page and its assets, never the API or the progress socket (access.ts).
  const pageSecret = randomBytes(24).toString('hex');
  let port = 0;
  const allow = originPolicy(() => port);

  async function api(req: IncomingMessage, url: URL): Promise<Reply> {
    if (!allow.origin(req.headers.origin)) return refuse(403, 'forbidden', 'Wrong origin.');
    const given = req.headers['x-godwit-token'];
    if (!sameToken(Array.isArray(given) ? given[0] : given, token)) return refuse(401, 'unauthorized', 'Missing or wrong token: open the URL godwit serve printed.');
    const op = url.pathname.slice('/api/'.length);
    if (req.method !== 'POST' || !isOperation(op)) return refuse(404, 'unknown-operation', 'Unknown operation.');
    let input: unknown;
    try {
      input = parseInput(op, await readBody(req));
    } catch (err) {
      const failed = errorResult(err);
      return { status: failed.error.code === 'too-large' ? 413 : 400, body: failed };
    }
    try {
      return { status: 200, body: { ok: true, value: await opts.service.call(op, input as never) } };
    } catch (err) {
      return { status: 200, body: errorResult(err) };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
      return;
    }
    if (!allow.host(req.headers.host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const reply = await api(req, url);
      if (reply.status === 413) res.setHeader('connection', 'close');
      res.writeHead(reply.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(reply.body));
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('Method not allowed');
      return;
    }
    const fromUrl = sameToken(url.searchParams.get('token'), token);
    if (!fromUrl && !sameToken(tokenCookie(req), pageSecret)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('Godwit: open the URL that godwit serve printed (it carries the token).');
      return;
    }
    await serveStatic(opts.staticDir, url.pathname, res, fromUrl ? { 'set-cookie': tokenCookieHeader(pageSecret) } : {});
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Last line of defence: an answer, never a crash.
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: { code: 'internal', message: describeError(err) } }));
    });
  });
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  const onSocket = (ws: WebSocket) => {
    ws.on('error', () => ws.terminate()); // invalid or oversized frames: drop this socket, keep the server
    ws.on('message', () => undefined); // the page only listens; whatever it sends is ignored
    const unsubscribe = opts.service.subscribe((e) => {
      try {
        ws.send(JSON.stringify(e));
      } catch {
        // A closing socket must not break the run that emits the event.
      }
    });
    ws.on('close', unsubscribe);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/api/events' || !allow.host(req.headers.host) || !allow.origin(req.headers.origin) || !sameToken(url.searchParams.get('token'), token)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, onSocket);
    } catch {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new GodwitError('port-in-use', `Port ${opts.port} on 127.0.0.1 is in use (another godwit serve?).`, 'Choose another with --port, or leave --port out for a free one.'));
      else if (err.code === 'EACCES') reject(new GodwitError('port-refused', `Port ${opts.port} needs privileges this user lacks.`, 'Choose a port above 1023 with --port.'));
      else reject(err);
    });
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
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
