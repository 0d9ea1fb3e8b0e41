import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The cookie browser mode sets on the first load (the URL with the token), so the page's own assets need no token in
 * their URL. It holds a secret of its own that opens the page and nothing else: browsers send 127.0.0.1's cookies to
 * every port of it, so any local listener a page is sent to can read it, and the API token must not be in it.
 */
export const TOKEN_COOKIE = 'godwit-page';

/**
 * Constant-time comparison of a presented token with the run's token. Both sides are hashed first: digests have one
 * length whatever the input (a non-ASCII or over-long token cannot make timingSafeEqual throw) and compare in
 * constant time.
 */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** The token cookie's value, if the request carries one. */
export function tokenCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === TOKEN_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Set-Cookie for the page secret: not readable by scripts, never sent by another site's requests. */
export function tokenCookieHeader(pageSecret: string): string {
  return `${TOKEN_COOKIE}=${pageSecret}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Host and Origin checks: only this server's own names (a DNS-rebinding page sends its own Host). */
export function originPolicy(port: () => number) {
  const origins = () => [`http://127.0.0.1:${port()}`, `http://localhost:${port()}`];
  return {
    host: (host: string | undefined) => host !== undefined && origins().some((o) => o === `http://${host}`),
    origin: (origin: string | undefined) => origin === undefined || origins().includes(origin),
  };
}
