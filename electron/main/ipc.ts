import { ipcMain, type WebContents, type WebFrameMain } from 'electron';
import { OPERATIONS, PROGRESS_CHANNEL, ipcChannel } from '../shared/operation-names.ts';
import { parseInput, type Result } from '../shared/contract.ts';
import type { GodwitService } from '../engine/service/godwit-service.ts';
import { errorResult } from '../engine/service/to-dto.ts';

/**
 * Wires every contract operation to the service. Each handler checks that the message comes from our own page (the
 * built renderer loaded from disk) and parses its input with the contract's schema before the engine sees it.
 */
export function wireIpc(service: GodwitService, trustedUrl: string, target: () => WebContents | undefined): void {
  const trusted = (frame: WebFrameMain | null) => frame !== null && frame.url.split('#')[0]!.split('?')[0] === trustedUrl;
  for (const op of OPERATIONS) {
    ipcMain.handle(ipcChannel(op), async (event, input: unknown): Promise<Result<unknown>> => {
      if (!trusted(event.senderFrame)) return { ok: false, error: { code: 'forbidden', message: 'Unknown sender.' } };
      try {
        return { ok: true, value: await service.call(op, parseInput(op, input) as never) };
      } catch (err) {
        return errorResult(err);
      }
    });
  }
  service.subscribe((e) => target()?.send(PROGRESS_CHANNEL, e));
}
