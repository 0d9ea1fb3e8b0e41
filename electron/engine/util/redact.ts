/**
 * Secrets never leave the engine. A URL's password is found as `pg` finds it (pg-connection-string reads URLs with the
 * WHATWG parser): the authority ends at the first `/`, `?` or `#` after `scheme://`, and the user info at the LAST `@`
 * in it, so `postgresql://u:9f3a@b@host/db` has the password `9f3a@b`. `password=` parameters (libpq key-value pairs,
 * `?password=` and `sslpassword=` in a URL's query) are masked too.
 */
const MASK = '****';
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/\S+/gi;
/** A URL's user info in a text where the password may hold spaces or a `/`: to the last `@` of the line before `?` or `#`. */
const USERINFO_IN_TEXT = /([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):([^?#\n]*)@/gi;
const KEY_VALUE_PASSWORD = /(password\s*=\s*)('[^']*'|"[^"]*"|[^\s&;]+)/gi;

/**
 * Whether redactUrl or redactSecrets could mask anything in `text`: it holds `password`, or a `:` with an `@` after it
 * once a leading scheme's `://` is set aside (user info, with or without a scheme). Cheap, for every command's start:
 * most command lines hold no password, and the masks' expressions cost ~0.8 ms to compile.
 */
export function mayHoldSecret(text: string): boolean {
  return /:[^@]*@|password/i.test(text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
}

/** One URL (the whole string, spaces included, as pg takes it) with its password masked. */
export function redactUrl(value: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(value);
  // Without a scheme (`user:pw@host/db`, which pg cannot read but a user may type): up to the last @ before a /.
  if (!m) return value.replace(/^([^\s:/@]+):(?!\/\/)[^\s/]*@/, `$1:${MASK}@`).replace(KEY_VALUE_PASSWORD, `$1${MASK}`);
  const [, scheme, rest] = m as unknown as [string, string, string];
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  let userEnd = authority.lastIndexOf('@');
  // A password with an unencoded `/`, `?` or `#` moves its last `@` past the authority (`u:p@ss:w/rd@host/db`): pg
  // cannot connect with that URL, but the user meant a password. Mask up to the last `@` when what follows the first
  // `:` is not a port; a database name with an `@` in it is masked too, which only costs the display.
  const colon = authority.indexOf(':');
  const lastAt = rest.lastIndexOf('@');
  if (colon !== -1 && lastAt > authority.length && !/^\d*$/.test(authority.slice(colon + 1))) userEnd = lastAt;
  let out = value;
  if (userEnd !== -1) {
    const userinfo = rest.slice(0, userEnd);
    const colon = userinfo.indexOf(':');
    if (colon !== -1) out = `${scheme}${userinfo.slice(0, colon)}:${MASK}${rest.slice(userEnd)}`;
  }
  return out.replace(KEY_VALUE_PASSWORD, `$1${MASK}`);
}

/** Any text (an error message, a log line) with the password of every URL in it masked. */
export function redactSecrets(text: string): string {
  return text
    .replace(USERINFO_IN_TEXT, `$1:${MASK}@`)
    .replace(URL_IN_TEXT, (url) => redactUrl(url))
    .replace(KEY_VALUE_PASSWORD, `$1${MASK}`);
}

/** A connection URL as it may be shown: scheme, user, host, port and database; never the password or parameters. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return redactUrl(url).replace(/[?#][\s\S]*$/, '');
  }
}
