// Godwit's Electron main process: a thin host. Everything it does goes through the engine's GodwitService; the
// renderer reaches it only through the preload's contract-shaped bridge.
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GodwitService } from '../engine/service/godwit-service.ts';
import { SettingsStore } from '../engine/service/settings-store.ts';
import { wireIpc } from './ipc.ts';
import { SafeStorageSecretStore } from './safe-storage-secrets.ts';
import { loadBounds, rememberBounds } from './window-state.ts';

const RENDERER = join(__dirname, '..', 'renderer', 'index.html');
const PRELOAD = join(__dirname, 'preload.cjs');
let win: BrowserWindow | undefined;

const userData = app.getPath('userData');
process.env.GODWIT_DATA_DIR ??= userData;
const service = new GodwitService({
  settings: new SettingsStore(join(userData, 'settings.json')),
  secrets: new SafeStorageSecretStore(join(userData, 'secrets.json')),
  pickFolder: async () => {
    const r = await dialog.showOpenDialog(win!, { properties: ['openDirectory'], title: 'Open a Prisma project' });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
});

async function buildMenu(): Promise<void> {
  const recent = (await service.settings.read()).recentProjects;
  const openRecent = (dir: string) => () => void service.call('project/open', { dir }).then(() => win?.reload());
  Menu.setApplicationMenu(Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void service.call('project/pick', {}).then((p) => p && win?.reload()) },
        { label: 'Open Demo', click: () => void service.call('project/openDemo', {}).then(() => win?.reload()) },
        { label: 'Open Recent', submenu: recent.length ? recent.map((dir) => ({ label: dir, click: openRecent(dir) })) : [{ label: 'None', enabled: false }] },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]));
}

function createWindow(): void {
  const boundsFile = join(userData, 'window-state.json');
  win = new BrowserWindow({
    width: 1400, height: 900, minWidth: 900, minHeight: 600, ...loadBounds(boundsFile), show: false, title: 'Godwit',
    webPreferences: { preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  rememberBounds(win, boundsFile);
  // No navigation away from the app and no new windows; links open in the system browser.
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win?.show());
  void win.loadFile(RENDERER);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, callback) => callback(false));
  wireIpc(service, pathToFileURL(RENDERER).toString(), () => win?.webContents);
  if (process.argv.includes('--godwit-demo')) await service.call('project/openDemo', {});
  await buildMenu();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void service.close().finally(() => {
    if (process.platform !== 'darwin') app.quit();
  });
});
