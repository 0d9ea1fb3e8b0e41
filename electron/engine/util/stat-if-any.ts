import { statSync, type Stats } from 'node:fs';

/**
 * A path's stat, or undefined when it cannot be had (missing, or a folder on the way unreadable). Synchronous: for the
 * handful of small files every command looks at (the project, the config cache).
 */
export function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
