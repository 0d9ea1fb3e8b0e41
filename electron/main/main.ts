// Godwit's Electron main process: a thin host. Everything it does goes through the engine's GodwitService; the
// renderer reaches it only through the preload's contract-shaped bridge.
import { app, BrowserWindow, dialog, Menu, protocol, safeStorage, session, shell } from 'electron';
import { join, resolve } from 'node:path';
import { GodwitService } from '../engine/service/godwit-service.ts';
import { SettingsStore } from '../engine/service/settings-store.ts';
import { wireIpc } from './ipc.ts';
import { secretStoreFor } from './safe-storage-secrets.ts';
import { loadBounds, rememberBounds } from './window-state.ts';
import { RENDERER_URL, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { denyPermissions, installGuards } from './guards.ts';

const RENDERER_DIR = join(__dirname, '..', 'renderer');
const PRELOAD = join(__dirname, 'preload.cjs');
/** DevTools and their shortcuts exist only in development (an unpackaged app). */
const DEV = !app.isPackaged;
let win: BrowserWindow | undefined;
let service: GodwitService | undefined;
/** Folders the user chose in the native dialog during this run; with the recent list, the only ones the page may open. */
const picked = new Set<string>();

registerAppScheme(protocol); // before ready, as Electron requires
const userData = app.getPath('userData');
process.env.GODWIT_DATA_DIR ??= userData;
const settings = new SettingsStore(join(userData, 'settings.json'));

async function buildMenu(s: GodwitService): Promise<void> {
  const recent = (await s.settings.read()).recentProjects;
  const openRecent = (dir: string) => () => void s.call('project/open', { dir }).then(() => win?.reload());
  Menu.setApplicationMenu(Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void s.call('project/pick', {}).then((p) => p && win?.reload()) },
        { label: 'Open Demo', click: () => void s.call('project/openDemo', {}).then(() => win?.reload()) },
        { label: 'Open Recent', submenu: recent.length ? recent.map((dir) => ({ label: dir, click: openRecent(dir) })) : [{ label: 'None', enabled: false }] },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    ...(DEV ? [{ role: 'viewMenu' as const }] : []),
    { role: 'windowMenu' },
  ]));
}

function createWindow(): void {
  const boundsFile = join(userData, 'window-state.json');
  win = new BrowserWindow({
    width: 1400, height: 900, minWidth: 900, minHeight: 600, ...loadBounds(boundsFile), show: false, title: 'Godwit',
    webPreferences: { preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, devTools: DEV },
  });
  rememberBounds(win, boundsFile);
  win.once('ready-to-show', () => win?.show());
  void win.loadURL(RENDERER_URL);
}

// Navigation, window-open, webview and DevTools guards go on every web contents as it is created.
installGuards(app, shell, DEV);

void app.whenReady().then(async () => {
  denyPermissions(session.defaultSession);
  serveRenderer(protocol, RENDERER_DIR);
  const s = new GodwitService({
    settings,
    secrets: secretStoreFor(safeStorage, join(userData, 'secrets.json')),
    pickFolder: async () => {
      const r = await (win ? dialog.showOpenDialog(win, { properties: ['openDirectory'], title: 'Open a Prisma project' }) : dialog.showOpenDialog({ properties: ['openDirectory'] }));
      const dir = r.canceled ? null : (r.filePaths[0] ?? null);
      if (dir) picked.add(resolve(dir));
      return dir;
    },
  });
  service = s;
  const mayOpen = async (dir: string) => picked.has(dir) || (await settings.read()).recentProjects.map((d) => resolve(d)).includes(dir);
  wireIpc(s, RENDERER_URL, () => win?.webContents, mayOpen);
  if (process.argv.includes('--godwit-demo')) await s.call('project/openDemo', {});
  await buildMenu(s);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void (service?.close() ?? Promise.resolve()).finally(() => {
    if (process.platform !== 'darwin') app.quit();
  });
});
