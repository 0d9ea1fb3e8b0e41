import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { upgrade, withEnvironment } from '../engine/index.ts';
import { createTestDatabase, type TestDatabase } from '../engine/testing/test-database.ts';
import { checkProject, postgresEnv } from '../engine/schema-engine/testing/check-project.ts';
import { panicOnShadowDescribe } from '../engine/schema-engine/testing/engine-faults.ts';
import { main } from './main.ts';

let undoFault: (() => void) | undefined;
let project: Awaited<ReturnType<typeof checkProject>>;
let db: TestDatabase;
beforeEach(async () => {
  project = await checkProject();
  db = await createTestDatabase();
});
afterEach(async () => {
  undoFault?.();
  undoFault = undefined;
  await project.remove();
  await db.drop();
});

describe('a panic inside the schema engine, seen from the command line', () => {
  it('the CLI prints one line and exits 2', async () => {
    const open = await project.open();
    const env = postgresEnv(db.url);
    await withEnvironment(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    undoFault = panicOnShadowDescribe();
    const stderr: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['node', 'godwit', '--project', project.dir, '--url', db.url, 'new', 'add_b', '--dry-run'])).toBe(2);
    } finally {
      write.mockRestore();
    }
    const error = stderr.join('').split('\n').filter((l) => l.startsWith('Error'));
    expect(error).toHaveLength(1);
    expect(error[0]).toMatch(/^Error: Could not run Prisma's schema engine: the engine crashed \(Getting constraint_type .*\)\. It was discarded/);
    expect(stderr.join('')).not.toMatch(/RuntimeError|wasm-function/);
  });
});
