import { readFileSync, writeFileSync } from 'node:fs';
import type { BrowserWindow, Rectangle } from 'electron';

/** The window's last bounds, remembered across starts. */
export function loadBounds(file: string): Partial<Rectangle> {
  try {
    const b = JSON.parse(readFileSync(file, 'utf8')) as Rectangle;
    return Number.isFinite(b.width) && Number.isFinite(b.height) ? b : {};
  } catch {
    return {};
  }
}

export function rememberBounds(win: BrowserWindow, file: string): void {
  win.on('close', () => {
    try {
      writeFileSync(file, JSON.stringify(win.getNormalBounds()));
    } catch {
      // Losing the window position is not worth an error dialog.
    }
  });
}
