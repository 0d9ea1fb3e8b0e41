import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Protocol } from 'electron';

/** The renderer is served from this privileged scheme, not file:// (which would give the page the whole disk's origin). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://godwit';
export const RENDERER_URL = `${APP_ORIGIN}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.map': 'application/json',
};

/** Must run before the app is ready: a standard, secure scheme (so the CSP's 'self' and fetch work as on https). */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer under app://godwit/; nothing outside its folder, no other host. */
export function serveRenderer(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request: Request) => {
    let path: string;
    try {
      const url = new URL(request.url);
      if (url.host !== 'godwit') return new Response('Not found', { status: 404 });
      path = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)).replace(/^([/\\])+/, '');
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = join(rendererDir, path);
    if (!file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 });
    try {
      return new Response(await readFile(file), { headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
