import type { Plan } from '../../apply/plan.ts';
import { prepareScript } from '../../sql/prepare-script.ts';
import type { Environment } from '../../project/environments.ts';

/** A plan of pending migrations made directly from SQL, for tests of what only reads a plan. */
export function planOf(migrations: Record<string, string>, environment = 'test'): Plan {
  return {
    environment,
    direction: 'up',
    createsHistoryTable: false,
    headAfter: Object.keys(migrations).at(-1) ?? null,
    steps: Object.entries(migrations).map(([name, sql]) => ({
      name,
      migration: { name, dir: '', upSql: sql, checksum: '', downSql: null, hasDownSql: false },
      file: 'migration.sql',
      sql,
      script: prepareScript(sql),
    })),
  };
}

export function postgresEnv(url: string, isProtected: boolean, name = 'prod'): Environment {
  return { name, protected: isProtected, display: name, target: { kind: 'postgres', url } };
}
