import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/** The file a URL path names inside `root`, or null when it is malformed or would leave `root`. */
export function staticPath(root: string, urlPath: string): { file: string; rel: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return null; // malformed percent-encoding (e.g. "/%")
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(root, rel);
  return file.startsWith(root + sep) ? { file, rel } : null;
}

/** Serves a file of the built renderer; paths cannot leave `root`. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
  const target = staticPath(root, urlPath);
  if (!target) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad path');
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(target.file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(target.file)] ?? 'application/octet-stream',
    'cache-control': target.rel === 'index.html' ? 'no-store' : 'max-age=3600',
    'x-content-type-options': 'nosniff',
    ...extraHeaders,
  });
  res.end(body);
}
