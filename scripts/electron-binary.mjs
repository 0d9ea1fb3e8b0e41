// Where the Electron binary is, without require('electron') (which tries to download it when missing).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** { path } when an Electron binary exists, else { reason } saying plainly why not. */
export function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(p) ? { path: p } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${p})` };
  }
  const pathTxt = join('node_modules', 'electron', 'path.txt');
  if (!existsSync(pathTxt)) return { reason: 'the Electron binary was never downloaded (npm skipped its install script, or there is no network)' };
  const p = join('node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(p)) return { reason: `the Electron binary is missing (${p})` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { path: p, reason: 'there is no display (DISPLAY is not set)' };
  return { path: p };
}
