import { ipcMain, type WebContents, type WebFrameMain } from 'electron';
import { resolve } from 'node:path';
import { OPERATIONS, PROGRESS_CHANNEL, ipcChannel } from '../shared/operation-names.ts';
import { parseInput, type Result } from '../shared/contract.ts';
import type { GodwitService } from '../engine/service/godwit-service.ts';
import { errorResult } from '../engine/service/to-dto.ts';

/** Which project folders the page may open by path: opening one runs its prisma.config.ts in this process. */
export type MayOpen = (dir: string) => Promise<boolean>;

/**
 * Wires every contract operation to the service. Each handler checks that the message comes from our own page (the
 * renderer served at `trustedUrl`, in the main frame) and parses its input with the contract's schema before the
 * engine sees it. `project/open` from the page is refused for folders the user did not pick or open before: a
 * compromised page must not be able to make the main process load an arbitrary prisma.config.ts.
 */
export function wireIpc(service: GodwitService, trustedUrl: string, target: () => WebContents | undefined, mayOpen: MayOpen): void {
  const trusted = (frame: WebFrameMain | null) => frame !== null && frame.parent === null && frame.url.split('#')[0]!.split('?')[0] === trustedUrl;
  for (const op of OPERATIONS) {
    ipcMain.handle(ipcChannel(op), async (event, input: unknown): Promise<Result<unknown>> => {
      if (!trusted(event.senderFrame)) return { ok: false, error: { code: 'forbidden', message: 'Unknown sender.' } };
      try {
        const parsed = parseInput(op, input);
        // The desktop app picks folders with the system dialog: a page listing the user's home is browser mode's only.
        if (op === 'project/browse') return { ok: false, error: { code: 'forbidden', message: 'The desktop app chooses folders with the system dialog.' } };
        if (op === 'project/open' && !(await mayOpen(resolve((parsed as { dir: string }).dir)))) {
          return { ok: false, error: { code: 'forbidden', message: 'Choose the folder with "Choose a project folder…" (or File › Open Project…): the app opens only folders you picked, since opening a project runs its prisma.config.ts.' } };
        }
        return { ok: true, value: await service.call(op, parsed as never) };
      } catch (err) {
        return errorResult(err);
      }
    });
  }
  service.subscribe((e) => target()?.send(PROGRESS_CHANNEL, e));
}
