import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A minimal Prisma project (classic layout, no config file) in a git repository the test builds. */
export interface GitProject {
  dir: string;
  /** Writes a migration folder (down.sql only when given). */
  migration(name: string, upSql: string, downSql?: string): Promise<void>;
  write(path: string, content: string): Promise<void>;
  /** `git add -A && git commit`, with fixed names and dates so commit ids are the same on every run. */
  commit(message: string): Promise<string>;
  git(...args: string[]): Promise<string>;
  remove(): Promise<void>;
}

const FIXED = {
  GIT_AUTHOR_NAME: 'Godwit Test', GIT_AUTHOR_EMAIL: 'test@godwit.invalid', GIT_COMMITTER_NAME: 'Godwit Test',
  GIT_COMMITTER_EMAIL: 'test@godwit.invalid', GIT_AUTHOR_DATE: '2025-06-01T12:00:00Z', GIT_COMMITTER_DATE: '2025-06-01T12:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

export async function createGitProject(): Promise<GitProject> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'godwit-check-')));
  const git = async (...args: string[]) => (await run('git', args, { cwd: dir, env: { ...process.env, ...FIXED } })).stdout.trim();
  const write = async (path: string, content: string) => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  };
  await write('prisma/schema.prisma', 'datasource db {\n  provider = "postgresql"\n}\n');
  await write('prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n');
  await git('init', '-q', '-b', 'main');
  return {
    dir,
    write,
    git,
    async migration(name, upSql, downSql) {
      await write(`prisma/migrations/${name}/migration.sql`, upSql);
      if (downSql !== undefined) await write(`prisma/migrations/${name}/down.sql`, downSql);
    },
    async commit(message) {
      await git('add', '-A');
      await git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
