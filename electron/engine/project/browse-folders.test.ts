import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browseFolders } from './browse-folders.ts';

let top: string;
let home: string;
let outside: string;
beforeAll(async () => {
  top = realpathSync(await mkdtemp(join(tmpdir(), 'godwit-browse-')));
  home = join(top, 'home');
  outside = join(top, 'secret');
  await mkdir(join(home, 'code', 'clinic', 'migrations'), { recursive: true });
  await mkdir(join(home, 'code', 'notes'), { recursive: true });
  await mkdir(join(home, '.ssh'), { recursive: true });
  await mkdir(join(outside, 'keys'), { recursive: true });
  await writeFile(join(home, 'file.txt'), 'x');
  await symlink(outside, join(home, 'escape'));
  await symlink(join(home, 'code', 'clinic'), join(home, 'clinic-link'));
});
afterAll(() => rm(top, { recursive: true, force: true }));

describe('browseFolders: the folder picker confined to the home folder', () => {
  it('lists sub-folders, marks projects, skips files and hidden folders', async () => {
    const root = await browseFolders(undefined, home);
    expect(root.path).toBe(home);
    expect(root.parent).toBeNull();
    expect(root.folders.map((f) => f.name)).toEqual(['clinic-link', 'code']);
    const code = await browseFolders(join(home, 'code'), home);
    expect(code.parent).toBe(home);
    expect(code.folders).toEqual([
      { name: 'clinic', path: join(home, 'code', 'clinic'), isProject: true },
      { name: 'notes', path: join(home, 'code', 'notes'), isProject: false },
    ]);
    // A symlink that stays inside the home is followed to where it points.
    expect(root.folders[0]).toEqual({ name: 'clinic-link', path: join(home, 'code', 'clinic'), isProject: true });
  });

  it('refuses every way out: .., an absolute path, a symlink pointing outside', async () => {
    await expect(browseFolders('..', home)).rejects.toThrow(`Only folders inside ${home} can be browsed.`);
    await expect(browseFolders(outside, home)).rejects.toThrow('Only folders inside');
    await expect(browseFolders(join(home, 'code', '..', '..', 'secret'), home)).rejects.toThrow('Only folders inside');
    await expect(browseFolders(join(home, 'escape'), home)).rejects.toThrow('Only folders inside');
    await expect(browseFolders(join(home, 'escape', 'keys'), home)).rejects.toThrow('Only folders inside');
    await expect(browseFolders('/', home)).rejects.toThrow('Only folders inside');
    await expect(browseFolders(join(home, 'nope'), home)).rejects.toThrow('No such folder');
    // Outside, a missing folder is refused like an existing one: nothing can be learnt about it.
    await expect(browseFolders(join(outside, 'nope'), home)).rejects.toThrow('Only folders inside');
    await expect(browseFolders(join(home, 'file.txt'), home)).rejects.toThrow('Not a folder');
  });

  it('does not list a folder whose name only starts like the home folder', async () => {
    await mkdir(`${home}-other`, { recursive: true });
    await expect(browseFolders(`${home}-other`, home)).rejects.toThrow('Only folders inside');
  });
});
