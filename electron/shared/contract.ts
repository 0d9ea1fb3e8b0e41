/**
 * The one contract between the renderer and the back end: every operation's name, its input schema (zod, checked
 * by every host before the engine sees it) and its output type. Imports neither Electron nor React.
 */
import { z } from 'zod';
import type {
  AuditEntryDto, CompareDto, DescribeDto, EnvironmentStatusDto, MigrationDetailDto, NewMigrationDto, PreviewDto,
  ProjectDto, RunReportDto, SettingsDto, TablesDto, ConnectionTestDto, DownSqlDto, ResolveDto,
  CheckReportDto, PreflightDto, RehearsalDto,
} from './dto.ts';
import type { AdoptedDriftDto } from './dto.ts';
import type { FolderListingDto, SqlAnalysisDto } from './dto.ts';
import type { ConnectionHopsDto } from './dto.ts';
import type { BackupListDto } from './dto.ts';
import type { TableCompareDto, TableStructureDto } from './dto.ts';
import type { ProjectOverviewDto } from './dto.ts';

/** An environment's SSH bastion as the editor sends it (godwit.json's "ssh"; engine/db/ssh-tunnel.ts). */
const sshInput = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().min(1).max(100),
  identityFile: z.string().min(1).max(1000).optional(),
  agent: z.boolean().optional(),
  knownHostsFile: z.string().min(1).max(1000).optional(),
  passphrase: z.string().regex(/^env:\S+$/).optional(),
});

const envName = z.string().min(1).max(100);
const migrationName = z.string().min(1).max(255);
const rollbackTarget = {
  steps: z.number().int().positive().optional(),
  to: migrationName.optional(),
  base: z.boolean().optional(),
};

export const contract = {
  'project/open': { input: z.object({ dir: z.string().min(1) }), output: {} as ProjectDto },
  'project/openDemo': { input: z.object({ reset: z.boolean().optional() }), output: {} as ProjectDto },
  'project/current': { input: z.object({}), output: {} as ProjectDto | null },
  'project/pick': { input: z.object({}), output: {} as ProjectDto | null },
  /**
   * The project read again from disk (unless `reread` is false: as last read) and every environment's status against
   * that same folder, statuses packed (status-packing.ts): what the app shows. Null when no project is open.
   */
  'project/overview': { input: z.object({ reread: z.boolean().optional(), have: z.number().int().optional() }), output: {} as ProjectOverviewDto | null },
  'environments/status': { input: z.object({ drift: z.boolean().optional(), env: envName.optional() }), output: {} as EnvironmentStatusDto[] },
  'environments/save': {
    input: z.object({
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . -'),
      previousName: envName.optional(),
      url: z.string().min(1),
      protected: z.boolean(),
      shadowDatabaseUrl: z.string().optional(),
      /** Kept in the secret store (never in godwit.json, never returned); '' forgets it. */
      password: z.string().max(1000).optional(),
      /** The environment's exact name: needed to unprotect, move or rename a protected environment. */
      confirm: z.string().max(200).optional(),
      /** The SSH bastion; null removes it, absent keeps what godwit.json has. */
      ssh: sshInput.nullable().optional(),
      /** A shell command printing the password when a connection opens; null removes it, absent keeps it. */
      passwordCommand: z.string().min(1).max(2000).nullable().optional(),
      /** The SSH key's passphrase, kept in the secret store (never in godwit.json, never returned); '' forgets it. */
      sshPassphrase: z.string().max(1000).optional(),
    }),
    output: {} as ProjectDto,
  },
  /** `confirm` is the environment's exact name: every removal needs it (the app asks first). */
  'environments/remove': { input: z.object({ name: envName, confirm: z.string().max(200).optional() }), output: {} as ProjectDto },
  'environments/test': { input: z.object({ url: z.string().min(1), name: envName.optional(), password: z.string().max(1000).optional() }), output: {} as ConnectionTestDto },
  /** Test a saved environment hop by hop (SSH, TLS, auth); `acceptHostKey` accepts an unknown bastion key shown by a previous test. */
  'environments/testConnection': {
    input: z.object({ name: envName, acceptHostKey: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/).optional(), password: z.string().max(1000).optional() }),
    output: {} as ConnectionHopsDto,
  },
  'environments/compare': { input: z.object({ a: envName, b: envName }), output: {} as CompareDto },
  'migrations/detail': { input: z.object({ name: migrationName }), output: {} as MigrationDetailDto },
  'migrations/preview': {
    input: z.object({ env: envName, direction: z.enum(['up', 'down']), ...rollbackTarget }),
    output: {} as PreviewDto,
  },
  'migrations/apply': {
    input: z.object({
      env: envName, to: migrationName.optional(), confirm: z.string().optional(), runId: z.string().min(1), ignoreBlockers: z.boolean().optional(),
      // engine/backup: skip copying what destructive statements destroy (audited); accept a copy above backupLimit.
      noBackup: z.boolean().optional(), allowLargeBackup: z.boolean().optional(),
    }),
    output: {} as RunReportDto,
  },
  'migrations/rollback': {
    input: z.object({
      env: envName, ...rollbackTarget, confirm: z.string().optional(), runId: z.string().min(1), ignoreBlockers: z.boolean().optional(),
      // engine/backup: roll back without restoring backed-up data (the backups are kept, detached).
      noRestore: z.boolean().optional(),
    }),
    output: {} as RunReportDto,
  },
  /** "Stop after the current migration" of a run in progress: true when that run was found and will stop. */
  'migrations/stop': { input: z.object({ runId: z.string().min(1).max(200) }), output: {} as { stopping: boolean } },
  /** Live pre-flight of the pending run (engine/preflight): blockers and read-only data checks. */
  'migrations/preflight': {
    input: z.object({
      env: envName, direction: z.enum(['up', 'down']).optional(), ...rollbackTarget,
      longTransactionMs: z.number().int().nonnegative().optional(), idleInTransactionMs: z.number().int().nonnegative().optional(),
      checkTimeoutMs: z.number().int().positive().max(3_600_000).optional(),
    }),
    output: {} as PreflightDto,
  },
  /** Rehearsal (engine/rehearse): the pending migrations run on a throwaway clone of the environment's schema. */
  'migrations/rehearse': { input: z.object({ env: envName, sample: z.number().int().nonnegative().max(1_000_000).optional() }), output: {} as RehearsalDto },
  'migrations/create': {
    input: z.object({ env: envName, name: z.string().min(1).max(200), empty: z.boolean().optional() }),
    output: {} as NewMigrationDto | null,
  },
  'migrations/saveNew': { input: z.object({ name: migrationName, upSql: z.string(), downSql: z.string() }), output: {} as ProjectDto },
  'migrations/generateDown': { input: z.object({ env: envName, name: migrationName, write: z.boolean().optional() }), output: {} as DownSqlDto },
  /** `godwit resolve` from the app: `confirm` is the environment's exact name, needed when it is protected. */
  'migrations/resolve': { input: z.object({ env: envName, name: migrationName, as: z.enum(['applied', 'rolled-back']), confirm: z.string().optional() }), output: {} as ResolveDto },
  'tables/list': {
    input: z.object({ env: envName, pattern: z.string().optional(), kinds: z.array(z.enum(['tables', 'views', 'matviews', 'indexes', 'sequences'])).optional(), plus: z.boolean().optional() }),
    output: {} as TablesDto,
  },
  'tables/describe': { input: z.object({ env: envName, name: z.string().min(1), plus: z.boolean().optional() }), output: {} as DescribeDto },
  'audit/list': { input: z.object({ env: envName }), output: {} as AuditEntryDto[] },
  /** The data kept from destructive migrations in the environment's schema godwit (engine/backup). */
  'backups/list': { input: z.object({ env: envName }), output: {} as BackupListDto },
  /** Drops backups by id, or all; a protected environment needs its name in `confirm`. */
  'backups/drop': {
    input: z.object({ env: envName, ids: z.array(z.string().min(1).max(200)).max(1000).optional(), all: z.boolean().optional(), confirm: z.string().optional() }),
    output: {} as { environment: string; dropped: string[] },
  },
  'settings/get': { input: z.object({}), output: {} as SettingsDto },
  'settings/set': { input: z.object({ theme: z.enum(['system', 'light', 'dark']).optional() }), output: {} as SettingsDto },
  /** `godwit check` on the open project: ordering, integrity, reversibility (throwaway database), lint. */
  'project/check': {
    input: z.object({
      base: z.string().min(1).max(200).optional(),
      env: envName.optional(),
      all: z.boolean().optional(),
      only: z.array(z.string().min(1).max(100)).max(50).optional(),
    }),
    output: {} as CheckReportDto,
  },
  /** `godwit adopt-drift`: the drift becomes a migration marked applied on `env` only; null when there is no drift. */
  'environments/adoptDrift': {
    input: z.object({ env: envName, name: z.string().min(1).max(200), confirm: z.string().max(200).optional() }),
    output: {} as AdoptedDriftDto | null,
  },
  /** Browser mode's folder picker: sub-folders of `path` (default: the home folder), never outside the home folder. */
  'project/browse': { input: z.object({ path: z.string().max(4096).optional() }), output: {} as FolderListingDto },
  /** A new migration's SQL as edited in the review, analysed again before it is saved (no database is read). */
  'migrations/analyseSql': { input: z.object({ upSql: z.string().max(10_000_000), downSql: z.string().max(10_000_000) }), output: {} as SqlAnalysisDto },
  /** One table as a DBA reads it: columns, indexes, constraints, foreign keys both ways, triggers, sizes, DDL, psql's \d. */
  'tables/structure': { input: z.object({ env: envName, schema: z.string().min(1).max(200), name: z.string().min(1).max(200) }), output: {} as TableStructureDto },
  /** One table on two sides, part by part (engine/catalog/table-compare.ts); a side is an environment or '@migrations' (the folder replayed). */
  'tables/compare': { input: z.object({ a: envName, b: envName, schema: z.string().min(1).max(200), name: z.string().min(1).max(200) }), output: {} as TableCompareDto },
  /** A migration making a's table like b's (either may be '@migrations'), for the review dialog: nothing is written or run. */
  'tables/generateMigration': {
    input: z.object({ a: envName, b: envName, schema: z.string().min(1).max(200), name: z.string().min(1).max(200), migrationName: z.string().min(1).max(200) }),
    output: {} as NewMigrationDto,
  },
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<K extends OperationName> = z.infer<Contract[K]['input']>;
export type OperationOutput<K extends OperationName> = Contract[K]['output'];
export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

/** Events the back end pushes while an upgrade or rollback runs. */
export type ProgressEventDto =
  | { runId: string; type: 'start' | 'done'; environment: string; direction: 'up' | 'down'; name: string; index: number; total: number; durationMs?: number; kept?: string }
  | { runId: string; type: 'failed'; environment: string; direction: 'up' | 'down'; name: string; index: number; total: number; failure: import('./dto.ts').FailureDto };

/** What every transport returns: a value, or an error the UI can show where it happened. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; failure?: import('./dto.ts').FailureDto } };

/** Parses an operation's input with its schema; hosts call this on every request. */
export function parseInput<K extends OperationName>(name: K, input: unknown): OperationInput<K> {
  return contract[name].input.parse(input ?? {}) as OperationInput<K>;
}

export function isOperation(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

// The preload's list must name exactly the contract's operations.
type ListedOperation = (typeof import('./operation-names.ts').OPERATIONS)[number];
const _everyOperationListed: Record<OperationName, ListedOperation> = Object.fromEntries(OPERATION_NAMES.map((n) => [n, n])) as Record<OperationName, OperationName>;
const _everyListedOperationExists: Record<ListedOperation, OperationName> = _everyOperationListed;
void _everyListedOperationExists;
