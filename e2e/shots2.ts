import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe.ts';

/** Where the screens of the analysis, pre-flight, rehearsal, drift and check views are saved for looking at. */
export const SHOTS2 = process.env.GODWIT_SHOTS2 ?? '/tmp/shots2';
const SIZES = [{ width: 1024, height: 700 }, { width: 1920, height: 1080 }];

/**
 * Saves the page as it is now in light and dark at 1024×700 and 1920×1080 (the app's "system" theme follows the
 * emulated colour scheme), and returns axe's violations in both themes (the context needs bypassCSP).
 */
export async function screenEveryWay(page: Page, name: string): Promise<string[]> {
  await mkdir(SHOTS2, { recursive: true });
  const found: string[] = [];
  const before = page.viewportSize();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(SHOTS2, `${name}-${scheme}-${size.width}x${size.height}.png`) });
    }
    found.push(...(await axeViolations(page)).map((v) => `${name} (${scheme}): ${v}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (before) await page.setViewportSize(before);
  return found;
}
