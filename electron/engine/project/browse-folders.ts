import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GodwitError } from '../util/errors.ts';

/** One folder of a listing: its name, and whether it looks like a project (migrations/, prisma/ or godwit.json). */
export interface FolderEntry {
  name: string;
  path: string;
  isProject: boolean;
}

export interface FolderListing {
  /** The folder listed (absolute, symlinks resolved), its parent inside the root (null at the root), and the root. */
  path: string;
  parent: string | null;
  root: string;
  isProject: boolean;
  folders: FolderEntry[];
}

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
};

async function looksLikeProject(dir: string): Promise<boolean> {
  for (const probe of ['godwit.json', 'prisma.config.ts', 'schema.prisma', 'migrations', join('prisma', 'schema.prisma'), join('prisma', 'schema'), join('prisma', 'migrations')]) {
    if (await stat(join(dir, probe)).then(() => true, () => false)) return true;
  }
  return false;
}

/**
 * Lists the sub-folders of `path` for browser mode's folder picker, confined to `root` (the user's home): the path
 * is resolved through its symlinks before the check, and a symlinked entry pointing outside the root is left out,
 * so nothing outside the home can be listed or reached. Hidden folders are skipped. Refusals are one line.
 */
export async function browseFolders(path: string | undefined, root = homedir()): Promise<FolderListing> {
  const realRoot = await realpath(root);
  const wanted = path ? resolve(realRoot, path) : realRoot;
  const refused = () => new GodwitError('browse-refused', `Only folders inside ${realRoot} can be browsed.`);
  // Lexically first, so a path outside is refused the same whether or not it exists (no probing outside the home).
  if (!inside(realRoot, wanted) && !inside(resolve(root), wanted)) throw refused();
  let real: string;
  try {
    real = await realpath(wanted);
  } catch {
    throw new GodwitError('browse-refused', `No such folder: ${wanted}`);
  }
  if (!inside(realRoot, real)) throw refused();
  if (!(await stat(real)).isDirectory()) throw new GodwitError('browse-refused', `Not a folder: ${real}`);
  const folders: FolderEntry[] = [];
  for (const entry of await readdir(real, { withFileTypes: true }).catch(() => [])) {
    if (entry.name.startsWith('.')) continue;
    const full = join(real, entry.name);
    let target = full;
    if (entry.isSymbolicLink()) {
      target = await realpath(full).catch(() => '');
      if (!target || !inside(realRoot, target)) continue;
    } else if (!entry.isDirectory()) continue;
    if (!(await lstat(target).then((s) => s.isDirectory(), () => false))) continue;
    folders.push({ name: entry.name, path: target, isProject: await looksLikeProject(target) });
  }
  folders.sort((a, b) => a.name.localeCompare(b.name));
  return { path: real, parent: real === realRoot ? null : dirname(real), root: realRoot, isProject: await looksLikeProject(real), folders };
}
