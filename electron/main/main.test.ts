import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rm } from 'node:fs/promises';
import { OPERATIONS, ipcChannel } from '../shared/operation-names.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { fake, FakeBrowserWindow, FakeWebContents } from './testing/fake-electron.ts';

// The main process with `electron` replaced by the recording fake: what it registers, and how its IPC and guards
// answer. What only a real Electron can show (the fuses, the sandbox, safeStorage's real backends) is not tested here.
vi.mock('electron', async () => {
  const m = await import('./testing/fake-electron.ts');
  return { ...m.fake, default: m.fake };
});

const previous = process.env.GODWIT_DATA_DIR;
let project: TempProject;
beforeAll(async () => {
  process.env.GODWIT_DATA_DIR = fake.app.userData;
  project = await copyDemoProject();
  await import('./main.ts');
  expect(fake.protocol.privileged).toHaveLength(1); // registered before ready, as Electron requires
  fake.app.becomeReady();
  await vi.waitFor(() => expect(FakeBrowserWindow.all).toHaveLength(1));
});
afterAll(async () => {
  process.env.GODWIT_DATA_DIR = previous;
  await project.remove();
  await rm(fake.app.userData, { recursive: true, force: true });
});

const TRUSTED = { senderFrame: { url: 'app://godwit/index.html', parent: null } };
const invoke = (op: string, input: unknown, event: unknown = TRUSTED) => fake.ipcMain.handlers.get(ipcChannel(op))!(event, input) as Promise<{ ok: boolean; error?: { code: string; message: string }; value?: unknown }>;

describe('Electron main process (with a recording fake of electron)', () => {
  it('registers exactly one handler per contract operation', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(OPERATIONS.map(ipcChannel).sort());
  });

  it('loads the renderer from the privileged app:// scheme with the sandbox on and no DevTools in a packaged app', () => {
    const [win] = FakeBrowserWindow.all;
    expect(win!.loaded).toBe('app://godwit/index.html');
    expect(win!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false });
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(fake.protocol.handlers.has('app')).toBe(true);
  });

  it('serves the renderer folder only, under app://godwit', async () => {
    const serve = fake.protocol.handlers.get('app')!;
    expect((await serve(new Request('app://godwit/../../../etc/passwd'))).status).not.toBe(200);
    expect([403, 404]).toContain((await serve(new Request('app://godwit/%2e%2e/%2e%2e/etc/passwd'))).status);
    expect((await serve(new Request('app://other/index.html'))).status).toBe(404);
    expect((await serve(new Request('app://godwit/%'))).status).toBe(400);
  });

  it('refuses calls from a foreign frame URL, from a subframe, and bad input', async () => {
    for (const frame of [{ url: 'https://evil.example/', parent: null }, { url: 'file:///tmp/index.html', parent: null }, { url: 'app://godwit/index.html', parent: {} }, null]) {
      expect(await invoke('settings/get', {}, { senderFrame: frame })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await invoke('settings/get', {})).toMatchObject({ ok: true });
    expect(await invoke('project/open', { dir: 42 })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await invoke('project/browse', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke('migrations/rollback', { env: 'dev', steps: -1, runId: 'r' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('opens by path only folders the user picked in the dialog (or opened before)', async () => {
    const refused = await invoke('project/open', { dir: project.dir });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(refused.error!.message).toMatch(/runs its prisma\.config\.ts/);
    fake.dialog.next = project.dir;
    expect(await invoke('project/pick', {})).toMatchObject({ ok: true });
    expect(await invoke('project/open', { dir: project.dir })).toMatchObject({ ok: true });
  });

  it('keeps passwords in memory only, and says so, when safeStorage would use basic_text', async () => {
    const current = await invoke('project/current', {});
    expect((current.value as { secretStorage: string }).secretStorage).toMatch(/memory only.*basic_text/);
  });

  it('guards every web contents: navigation, redirects, new windows, webviews, DevTools; denies every permission', () => {
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.prevented('will-navigate', 'app://godwit/index.html')).toBe(false);
    expect(contents.prevented('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.prevented('will-attach-webview')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://www.prisma.io/docs/orm/prisma-migrate' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://www.prisma.io.evil.example/docs' })).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual(['https://www.prisma.io/docs/orm/prisma-migrate']);
    contents.emit('devtools-opened');
    expect(contents.devToolsClosed).toBe(1);
    let granted: boolean | undefined;
    fake.session.defaultSession.requestHandler!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(fake.session.defaultSession.checkHandler!({}, 'clipboard-read', 'app://godwit', {})).toBe(false);
  });
});
