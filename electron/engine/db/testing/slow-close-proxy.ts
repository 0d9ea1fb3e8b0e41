import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to a PostgreSQL server that passes everything through at once but holds the server's end of a closing
 * connection for `holdMs`: a client that waits for the server to close waits that long; one that does not, does not.
 */
export interface SlowCloseProxy {
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  close(): Promise<void>;
}

export async function startSlowCloseProxy(upstreamUrl: string, holdMs: number): Promise<SlowCloseProxy> {
  const target = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  // Half-open: the client's goodbye must not close our side towards it before the server closes its own.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client, { end: false });
    upstream.on('end', () => {
      const t = setTimeout(() => client.end(), holdMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    through(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
