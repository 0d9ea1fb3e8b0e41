/**
 * The contract's operation names as a plain list, for the Electron preload (which must stay tiny and cannot load
 * zod). contract.ts checks at compile time that this list and the contract agree.
 */
export const OPERATIONS = [
  'project/open', 'project/openDemo', 'project/current', 'project/pick',
  'environments/status', 'environments/save', 'environments/remove', 'environments/test', 'environments/compare',
  'migrations/detail', 'migrations/preview', 'migrations/apply', 'migrations/rollback', 'migrations/create',
  'migrations/saveNew', 'migrations/generateDown', 'migrations/resolve', 'migrations/preflight', 'migrations/rehearse',
  'tables/list', 'tables/describe', 'audit/list', 'settings/get', 'settings/set',
  'project/check', 'environments/adoptDrift',
  'environments/testConnection',
  'project/browse', 'migrations/analyseSql',
  'backups/list', 'backups/drop',
  'tables/structure', 'tables/compare', 'tables/generateMigration',
  'migrations/stop',
  'project/overview',
] as const;

/** The IPC channel of an operation, and the one event channel. */
export const ipcChannel = (op: string) => `godwit:${op}`;
export const PROGRESS_CHANNEL = 'godwit:event/progress';
