// A small recording stand-in for the `electron` module, so the main process and the preload can be tested where no
// Electron binary runs (tests replace 'electron' with it through vi.mock). It records what the code under test
// registers and lets the test play the other side. It is no model of Electron's behaviour beyond that.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  sent: { channel: string; payload: unknown }[] = [];
  devToolsClosed = 0;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  closeDevTools() {
    this.devToolsClosed++;
  }
  /** Emits an event with a preventable first argument; true when a listener prevented it. */
  prevented(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  readonly userData = mkdtempSync(join(tmpdir(), 'godwit-fake-electron-'));
  private ready!: () => void;
  readonly ready$ = new Promise<void>((resolve) => (this.ready = resolve));
  getPath() {
    return this.userData;
  }
  whenReady() {
    return this.ready$;
  }
  /** The test says when the app is ready (after the module's top level ran, as in Electron). */
  becomeReady() {
    this.ready();
  }
  quit() {}
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows() {
    return FakeBrowserWindow.all;
  }
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.all.push(this);
    fake.app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  loadFile(file: string) {
    this.loaded = `file://${file}`;
    return Promise.resolve();
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: 1400, height: 900 };
  }
  show() {}
  reload() {}
}

export const fake = {
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handlers: new Map<string, Handler>(),
    handle(channel: string, h: Handler) {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, h);
    },
  },
  ipcRenderer: {
    invoked: [] as { channel: string; input: unknown }[],
    listeners: new Map<string, Set<Handler>>(),
    invoke(channel: string, input: unknown) {
      this.invoked.push({ channel, input });
      return Promise.resolve({ ok: true, value: null });
    },
    on(channel: string, h: Handler) {
      if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
      this.listeners.get(channel)!.add(h);
    },
    removeListener(channel: string, h: Handler) {
      this.listeners.get(channel)?.delete(h);
    },
  },
  contextBridge: {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld(key: string, api: unknown) {
      this.exposed.set(key, api);
    },
  },
  dialog: {
    next: null as string | null,
    showOpenDialog() {
      const dir = this.next;
      return Promise.resolve({ canceled: dir === null, filePaths: dir ? [dir] : [] });
    },
  },
  Menu: { setApplicationMenu() {}, buildFromTemplate: (t: unknown) => t },
  protocol: {
    privileged: [] as unknown[],
    handlers: new Map<string, (r: Request) => Promise<Response>>(),
    readyWhenRegistered: null as boolean | null,
    registerSchemesAsPrivileged(schemes: unknown[]) {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, h: (r: Request) => Promise<Response>) {
      this.handlers.set(scheme, h);
    },
  },
  safeStorage: {
    backend: 'basic_text',
    available: true,
    getSelectedStorageBackend() {
      return this.backend;
    },
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString: (s: string) => Buffer.from(`sealed:${s}`),
    decryptString: (b: Buffer) => b.toString().replace(/^sealed:/, ''),
  },
  session: {
    defaultSession: {
      requestHandler: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
      checkHandler: null as null | ((...a: unknown[]) => boolean),
      setPermissionRequestHandler(h: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void) {
        this.requestHandler = h;
      },
      setPermissionCheckHandler(h: (...a: unknown[]) => boolean) {
        this.checkHandler = h;
      },
    },
  },
  shell: {
    opened: [] as string[],
    openExternal(url: string) {
      this.opened.push(url);
      return Promise.resolve();
    },
  },
};

export default fake;
