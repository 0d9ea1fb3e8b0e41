import { describe, expect, it, vi } from 'vitest';
import { OPERATIONS, PROGRESS_CHANNEL, ipcChannel } from '../shared/operation-names.ts';
import { OPERATION_NAMES } from '../shared/contract.ts';
import { fake } from '../main/testing/fake-electron.ts';

vi.mock('electron', async () => {
  const m = await import('../main/testing/fake-electron.ts');
  return { ...m.fake, default: m.fake };
});

describe('preload (with a recording fake of electron)', () => {
  it('exposes exactly the contract\'s operations and onProgress, each calling its own channel, frozen', async () => {
    await import('./preload.ts');
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['godwit']);
    const api = fake.contextBridge.exposed.get('godwit') as Record<string, (x: unknown) => unknown>;
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, 'onProgress'].sort());
    expect([...OPERATIONS].sort()).toEqual([...OPERATION_NAMES].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const op of OPERATIONS) await api[op]!({ probe: op });
    expect(fake.ipcRenderer.invoked).toEqual(OPERATIONS.map((op) => ({ channel: ipcChannel(op), input: { probe: op } })));
    const off = api.onProgress!(() => undefined) as () => void;
    expect(fake.ipcRenderer.listeners.get(PROGRESS_CHANNEL)?.size).toBe(1);
    off();
    expect(fake.ipcRenderer.listeners.get(PROGRESS_CHANNEL)?.size).toBe(0);
  });
});
