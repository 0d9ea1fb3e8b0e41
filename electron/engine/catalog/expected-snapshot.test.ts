import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upgrade } from '../index.ts';
import { onEnv, projectOn, useDatabaseAndProject } from '../testing/fixtures.ts';
import { sqlOn } from '../testing/test-database.ts';
import { expectedSnapshot } from './expected-snapshot.ts';
import { compareTablePair, liveSide, MIGRATIONS_SIDE, tableMigration, type TablePair } from './table-migration.ts';

const fresh = useDatabaseAndProject({ beforeEach, afterEach });

describe('a table against the migrations folder', () => {
  it('shows what was changed by hand on one table, and generates the migration either way', async () => {
    const { db, project } = fresh();
    const { open, env } = await projectOn(project.dir, db.url);
    await onEnv(env, (conn) => upgrade({ db: conn, env, folder: open.folder }, {}));
    await sqlOn(db.url, 'ALTER TABLE users ADD COLUMN nickname text; CREATE INDEX users_created_idx ON users (created_at);');
    const live = liveSide('dev', (fn) => onEnv(env, fn));
    const folder = { name: MIGRATIONS_SIDE, read: () => onEnv(env, (conn) => expectedSnapshot(conn, open)) };

    const pair: TablePair = { a: folder, b: live, schema: 'public', table: 'users' };
    const cmp = await compareTablePair(pair);
    expect(cmp.rows.filter((r) => r.status !== 'same').map((r) => [r.kind, r.name, r.status])).toEqual([
      ['column', 'nickname', 'only-b'],
      ['index', 'users_created_idx', 'only-b'],
    ]);
    // Another table untouched by hand: the same as its migrations say.
    expect((await compareTablePair({ ...pair, table: 'sessions' })).differences).toBe(0);

    // Adopting the hand change: the migration adds what the folder lacks.
    const adopt = await tableMigration(pair, 'adopt users hotfix');
    expect(adopt.upSql).toContain('ALTER TABLE public.users ADD COLUMN nickname text;');
    expect(adopt.upSql).toContain('CREATE INDEX users_created_idx ON users USING btree (created_at);');
    expect(adopt.upSql).toContain('--   migrations: (absent)');

    // Or reverting it: run on the live database, the table is what the migrations make again.
    const revert = await tableMigration({ ...pair, a: live, b: folder }, 'revert users hotfix');
    await sqlOn(db.url, revert.upSql);
    expect((await compareTablePair(pair)).differences).toBe(0);
  });
});
