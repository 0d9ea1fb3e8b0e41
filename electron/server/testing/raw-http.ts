import { connect } from 'node:net';

/**
 * Writes raw bytes to the server and returns what comes back until it closes the connection (or the timeout): anything
 * may be sent. The socket is not half-closed first, as a browser would not (the server drops a request whose client
 * has hung up).
 */
export function rawExchange(port: number, bytes: Buffer | string, timeoutMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (d) => {
      got += d.toString('latin1');
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes);
  });
}

/** The status code of the first response in a raw exchange, or 0 when there was none. */
export const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
