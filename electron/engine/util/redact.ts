/**
 * Secrets never leave the engine: any `scheme://user:password@host` in a text has its password replaced, and
 * `password=...` key-value pairs (libpq style) are masked too.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@\s/]*)@/gi, '$1:****@')
    .replace(/(password\s*=\s*)('[^']*'|"[^"]*"|[^\s&;]+)/gi, '$1****');
}

/** A connection URL as it may be shown: scheme, user, host, port and database; never the password or parameters. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return '<unparsable url>';
  }
}
