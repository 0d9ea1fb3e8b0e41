import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { GodwitError } from '../util/errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite allows one process per data directory; a second opener would corrupt it. A lock file beside the directory
 * holds the owner's pid; a lock whose process is gone is taken over. Returns the release function.
 */
export function lockEmbedded(dataDir: string, display: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (owner === process.pid) {
        throw new GodwitError('embedded-busy', `The embedded database ${display} is already open in this process.`);
      }
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new GodwitError(
          'embedded-busy',
          `The embedded database ${display} is in use by another Godwit process (pid ${owner}).`,
          'Embedded databases serve one process at a time: stop that one (the app or godwit serve) or use it from there.',
        );
      }
      rmSync(file, { force: true }); // its owner is gone
    }
  }
  throw new GodwitError('embedded-busy', `Could not lock the embedded database ${display}.`);
}
