import { spawn } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { GodwitError } from '../util/errors.ts';

/** Runs git (the CLI, as the user's own setup configures it) and returns stdout; null-byte output stays raw. */
function git(cwd: string, args: string[], input?: string): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new GodwitError('git-missing', 'check --base needs git, and git is not installed (or not on PATH).') : e);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: err.trim() }));
    if (input !== undefined) {
      child.stdin!.on('error', () => undefined); // git exited without reading: its exit code tells what happened
      child.stdin!.end(input);
    }
  });
}

/** One file of a commit's tree: its path from the repository root and its blob id. */
export interface TreeFile {
  path: string;
  blob: string;
}

/** A git repository seen from the project, with the base commit resolved. */
export interface GitBase {
  root: string;
  commit: string;
  /** The migrations folder's path from the repository root, with '/' separators ('' when it is the root). */
  migrationsPath: string;
}

/** The repository holding `dir` and the commit `ref` names; one clear error for "not a repository" and "unknown ref". */
export async function openGitBase(dir: string, migrationsDir: string, ref: string): Promise<GitBase> {
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  if (top.code !== 0) {
    throw new GodwitError('not-a-git-repository', `--base ${ref}: ${dir} is not inside a git repository.`, 'Run check in a clone of the project, or leave out --base.');
  }
  const root = await realpath(top.stdout.toString().trim());
  if (ref.startsWith('-')) throw new GodwitError('unknown-ref', `--base ${ref}: not a git ref.`);
  const rev = await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (rev.code !== 0) {
    throw new GodwitError(
      'unknown-ref',
      `--base ${ref}: git knows no commit by that name in ${root}.`,
      'In CI, fetch the base branch first (actions/checkout with fetch-depth: 0, or git fetch origin main).',
    );
  }
  const within = relative(root, await realpath(migrationsDir).catch(() => migrationsDir));
  if (within.startsWith('..')) throw new GodwitError('not-in-repository', `The migrations folder is outside the git repository at ${root}.`);
  return { root, commit: rev.stdout.toString().trim(), migrationsPath: within.split(sep).join('/') };
}

/** Every file under `path` in the commit (an empty list when the folder did not exist then). */
export async function filesAt(base: GitBase, path: string): Promise<TreeFile[]> {
  const res = await git(base.root, ['ls-tree', '-r', '-z', '--full-tree', base.commit, '--', path || '.']);
  if (res.code !== 0) throw new GodwitError('git-failed', `git ls-tree failed: ${res.stderr.split('\n')[0]}`);
  return res.stdout.toString('utf8').split('\0').filter(Boolean).flatMap((line) => {
    const tab = line.indexOf('\t');
    const [, type, blob] = line.slice(0, tab).split(' ');
    return type === 'blob' ? [{ path: line.slice(tab + 1), blob: blob! }] : [];
  });
}

/** Blob ids of working-tree files as git would store them (its clean filters and line-ending rules applied). */
export async function hashWorkingFiles(base: GitBase, paths: string[]): Promise<string[]> {
  if (!paths.length) return [];
  const res = await git(base.root, ['hash-object', '--stdin-paths'], paths.join('\n') + '\n');
  if (res.code !== 0) throw new GodwitError('git-failed', `git hash-object failed: ${res.stderr.split('\n')[0]}`);
  return res.stdout.toString().trim().split('\n');
}

/** A blob's content. */
export async function readBlob(base: GitBase, blob: string): Promise<string> {
  const res = await git(base.root, ['cat-file', 'blob', blob]);
  if (res.code !== 0) throw new GodwitError('git-failed', `git cat-file failed: ${res.stderr.split('\n')[0]}`);
  return res.stdout.toString('utf8');
}
