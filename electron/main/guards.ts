import type { App, Session, Shell, WebContents } from 'electron';
import { APP_ORIGIN } from './app-protocol.ts';

/** The only pages a link in the app may open in the system browser: documentation. */
const EXTERNAL_ALLOWED = ['https://www.prisma.io/docs', 'https://www.postgresql.org/docs/', 'https://github.com/prisma/prisma'];

export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password && EXTERNAL_ALLOWED.some((prefix) => `${u.origin}${u.pathname}`.startsWith(prefix));
  } catch {
    return false;
  }
}

/** Guards for one web contents: no navigation away from the app, no new windows, no webviews, DevTools only in development. */
export function guardContents(contents: WebContents, shell: Shell, dev: boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (!dev) contents.on('devtools-opened', () => contents.closeDevTools());
}

/** Every web contents (not only the main window's) gets the navigation, window, webview and DevTools guards. */
export function installGuards(app: App, shell: Shell, dev: boolean): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, shell, dev));
}

/** Every permission request and every permission check is denied (Godwit needs none). */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
