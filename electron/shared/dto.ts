/** Plain, serialisable shapes exchanged over the contract. No secrets: locations are shown without passwords. */

export interface EnvironmentDto {
  name: string;
  protected: boolean;
  /** The url as configured with any password removed, e.g. "env:DATABASE_URL" or "postgresql://app@db/app". */
  url: string;
  location: string;
  embedded: boolean;
  /** A password is kept for it in the secret store (the password itself is never sent). */
  passwordStored: boolean;
  /** Set when its URL cannot be resolved (unset variable, unparsable URL); the other environments still work. */
  error?: string | undefined;
  /** How the server is reached: tunnel, TLS, password source (engine/db/environment-reach.ts); absent for embedded. */
  reach?: EnvironmentReachDto | undefined;
}

/** An environment's connection path as configured: what the environment chip and editor show. No secrets. */
export interface EnvironmentReachDto {
  ssh: { host: string; port: number; user: string; identityFile?: string | undefined; agent: boolean; knownHostsFile?: string | undefined; passphraseFrom?: string | undefined } | null;
  /** libpq's sslmode as read from the URL/PGSSLMODE ('prefer' when unset). */
  sslmode: string;
  /** True when the connection is TLS-encrypted (require, verify-ca, verify-full). */
  encrypted: boolean;
  /** True for a non-local host without sslmode=verify-full: the editor suggests verify-full. */
  suggestVerifyFull: boolean;
  /** Where the password comes from: the URL (env:), the app's secret store, passwordCommand, or libpq's sources. */
  passwordSource: 'url' | 'stored' | 'command' | 'pgpass-or-none';
  /** The passwordCommand as configured (a command, not a secret), for the editor. */
  passwordCommand?: string | undefined;
}

/** One step of "Test connection": the SSH tunnel, the TLS handshake, authentication. */
export interface ConnectionHopDto {
  hop: 'ssh' | 'tls' | 'auth';
  /** null: not tried (an earlier hop failed, or the hop is not configured). */
  ok: boolean | null;
  message: string;
}

export interface ConnectionHopsDto {
  ok: boolean;
  hops: ConnectionHopDto[];
  /** Set when the bastion's host key is not in known_hosts (or changed): the editor shows it and offers to accept an unknown one. */
  hostKey?: { fingerprint: string; status: 'unknown' | 'changed' } | undefined;
}

export interface ProjectDto {
  dir: string;
  name: string;
  isDemo: boolean;
  /** Where passwords typed in the app are kept, in words. */
  secretStorage: string;
  environments: EnvironmentDto[];
  migrations: { name: string; hasDownSql: boolean }[];
  /**
   * Which reading of the project this is (the back end numbers every read of the folder and godwit.json): statuses
   * packed against one reading's migrations unpack only against that reading (`project/overview`'s `have`).
   */
  reading: number;
}

export type MigrationStateDto = 'applied' | 'pending' | 'failed' | 'rolled-back' | 'edited' | 'missing-locally';

export interface MigrationStatusDto {
  name: string;
  state: MigrationStateDto;
  appliedAt: string | null;
  durationMs: number | null;
  checksumOk: boolean | null;
  local: boolean;
  hasDownSql: boolean;
  /** A failed migration's log (the error Prisma or Godwit wrote to _prisma_migrations.logs), redacted. */
  logs?: string | undefined;
}

export interface EnvironmentStatusDto {
  environment: string;
  protected: boolean;
  location: string;
  head: string | null;
  migrations: MigrationStatusDto[];
  summary: { applied: number; pending: number; failed: number; edited: number; missingLocally: number; rolledBack: number; diverged: boolean };
  drift: {
    drifted: boolean;
    reconcileSql: string | null;
    /** Every object that differs from what the applied migrations produce (catalog snapshot, every kind). */
    differences?: DriftDifferenceDto[] | undefined;
    /** The same differences grouped by kind, kinds in catalog order: what the drift banner lists. */
    byKind?: { kind: string; items: DriftDifferenceDto[] }[] | undefined;
  } | null;
  /** Set when the environment could not be reached; the rest is then empty. */
  error?: string | undefined;
}

/**
 * `project/overview`: the project as read from disk and every environment's status read against that same folder, in
 * one answer (what the app shows on opening and on every refresh). The statuses are packed (status-packing.ts).
 */
export interface ProjectOverviewDto {
  /** null when the caller said it holds this very reading (`have`, with `reread: false`): it is not sent again. */
  project: ProjectDto | null;
  /** The reading the statuses are packed against. */
  reading: number;
  statuses: PackedStatusesDto;
}

/** Statuses whose migrations are places in one name list: the project's migrations, then `extraNames`. */
export interface PackedStatusesDto {
  /** Names some environment's history has and the folder lacks, in the order first met. */
  extraNames: string[];
  environments: PackedEnvironmentStatusDto[];
}

/** An EnvironmentStatusDto whose migrations are columns; a listed name in the folder is local, with its hasDownSql. */
export interface PackedEnvironmentStatusDto extends Omit<EnvironmentStatusDto, 'migrations'> {
  migrations: {
    /** One letter per name of the list (a applied, p pending, f failed, r rolled back, e edited, m missing locally), '-' where this status does not list the name; '' when it lists none. */
    states: string;
    /** The listed places in the status's order; absent when that is the list's order. */
    order?: number[] | undefined;
    /** Per listed migration, in order: checksumOk as t (true), f (false), - (null). */
    checksums: string;
    /** Per listed migration: appliedAt in milliseconds after the previous non-null one (the first: after 1970), or null. */
    appliedAt: (number | null)[];
    durationMs: (number | null)[];
    /** A failed migration's log (redacted), by its index among the listed migrations. */
    logs: [number, string][];
  };
}

export interface WarningDto {
  line: number;
  operation: string;
  statement: string;
}

export interface MigrationDetailDto {
  name: string;
  upSql: string;
  downSql: string | null;
  checksum: string;
  upWarnings: WarningDto[];
  downWarnings: WarningDto[];
  nonTransactional: string[];
  /** The SQL parser refused migration.sql / down.sql: no warnings, no transaction check; its reason in one line. */
  upUnanalysed: boolean;
  downUnanalysed: boolean;
  upParseError: string | null;
  downParseError: string | null;
}

/** One statement's lock/rewrite/scan analysis (engine/analysis; shape documented in the README under `godwit sql --json`). */
export interface StatementAnalysisDto {
  line: number;
  text: string;
  locks: {
    relation: string;
    mode: string;
    createdByPlan?: boolean | undefined;
    stats?: { rows: number | null; sizeBytes: number; seqScan: number; idxScan: number; inserts: number; updates: number; deletes: number; opsPerSecond: number | null } | undefined;
  }[];
  rewrite: boolean;
  scan: boolean;
  warnings: string[];
  advice: string[];
  risk?: 'low' | 'medium' | 'high' | undefined;
  riskReason?: string | undefined;
}

/** What a step copies before destroying data (up) or restores after down.sql (down): engine/backup. */
export interface StepBackupDto {
  /** up: one per destroying statement; rows/bytes estimated from the environment's statistics (null: unknown). */
  copies: { statement: number; kind: string; table: string; column: string | null; rows: number | null; bytes: number | null; restorable: boolean; note: string | null; skipped: boolean }[];
  /** up: why nothing is copied although data is destroyed (runs outside a transaction); null when it copies. */
  skipped: string | null;
  /** down: the backups its rollback restores. */
  /** comparesRows: values changed in place go back only into rows unchanged since the upgrade (backup-sql.ts digests_v1). */
  restores: { id: string; kind: string; table: string | null; column: string | null; rows: number; bytes: number; comparesRows: boolean }[];
  /** down: why restoring will fail: the rollback needs `noRestore` to run. */
  problems: string[];
  /** One line each, as the CLI prints them. */
  lines: string[];
}

export interface BackupListDto {
  environment: string;
  backups: { id: string; migration: string; kind: string; table: string | null; column: string | null; rows: number; bytes: number; createdAt: string; ageDays: number; restorable: boolean; note: string | null; attached: boolean }[];
}

export interface PreviewDto {
  environment: string;
  direction: 'up' | 'down';
  headAfter: string | null;
  steps: { name: string; file: string; transactional: boolean; nonTransactional: string[]; warnings: WarningDto[]; sql: string; unanalysed: boolean; parseError: string | null; analysis?: StatementAnalysisDto[] | undefined; backup?: StepBackupDto | undefined }[];
  /** Totals of the plan's backups against the environment's backupLimit (up), when anything is copied. */
  backup?: { rows: number; bytes: number; limitBytes: number; overLimit: boolean } | undefined;
  sql: string;
  /** Server major version the analysis is for, and whether the environment's statistics were read. */
  analysis?: { serverVersion: number; environmentRead: boolean } | undefined;
}

export interface FailureDto {
  migration: string;
  file: string;
  statementIndex: number;
  line: number;
  statement: string;
  error: { message: string; code?: string | undefined; detail?: string | undefined; hint?: string | undefined };
  rolledBack: boolean;
  /** The engine's one sentence of what the database and its history now hold (show it when present). */
  outcome?: string | undefined;
  /**
   * 'script' (statementIndex names it), 'history', 'commit', 'unknown' (lock timeout, cancel: no statement known),
   * 'backup' (copying what statementIndex destroys), or 'restore' (putting a rolled-back migration's data back).
   */
  phase?: 'script' | 'history' | 'commit' | 'unknown' | 'backup' | 'restore' | undefined;
}

export interface RunReportDto {
  environment: string;
  direction: 'up' | 'down';
  completed: { name: string; durationMs: number; kept?: string }[];
  headAfter: string | null;
  durationMs: number;
  /** The run was stopped as asked ("stop after the current migration"): how many of its plan did not run. */
  stopped?: { remaining: number } | undefined;
}

export interface NewMigrationDto {
  name: string;
  upSql: string;
  downSql: string;
  warnings: string[];
  unexecutable: string[];
}

/** A failed (or pending) migration marked by hand after repairing the database, as `godwit resolve` does. */
export interface ResolveDto {
  environment: string;
  name: string;
  as: 'applied' | 'rolled-back';
}

export interface DownSqlDto {
  name: string;
  sql: string;
  written: boolean;
}

export interface TablesDto {
  rows: { schema: string; name: string; type: string; owner: string; table?: string | undefined; persistence?: string | undefined; size?: string | undefined; sizeBytes?: number | undefined; description?: string | null | undefined }[];
  text: string;
}

export interface DescribeDto {
  text: string;
  relations: unknown[];
}

export interface CompareDto {
  a: string;
  b: string;
  differences: { relation: string; kind: string; name: string; property?: string | undefined; a: string | null; b: string | null }[];
  /** The same differences grouped by kind (schema, enum, table, column, constraint, view, function, trigger, policy …). */
  byKind?: { kind: string; items: CompareDto['differences'] }[] | undefined;
}

/** One object in drift: kind and name (SQL-quoted), the live and the expected definition (null: absent there). */
export interface DriftDifferenceDto {
  kind: string;
  name: string;
  table?: string | undefined;
  live: string | null;
  expected: string | null;
  /** SQL that makes the live object what the migrations produce; null when Prisma's script carries it or none exists. */
  sql: string | null;
  by: 'prisma' | 'godwit';
}

export interface AuditEntryDto {
  at: string;
  osUser: string;
  host: string;
  environment: string;
  action: string;
  migrations: string[];
  result: string;
  error: string | null;
  durationMs: number;
  /** What else the run decided that the trail shows (a backup skipped with --no-backup, …). */
  note?: string | null | undefined;
}

export interface SettingsDto {
  theme: 'system' | 'light' | 'dark';
  recentProjects: string[];
}

export interface ConnectionTestDto {
  ok: boolean;
  message: string;
}

/** One finding of `project/check` (`godwit check`); `rule` ids are stable (README: "godwit check"). */
export interface CheckFindingDto {
  rule: string;
  migration: string | null;
  file: 'migration.sql' | 'down.sql' | null;
  line: number | null;
  message: string;
  sql?: string | undefined;
  silencedBecause?: string | undefined;
}

/** The report of `project/check`: the same as `godwit check --json`. */
export interface CheckReportDto {
  summary: string;
  /** 0 no findings, 1 findings (as the CLI exits). */
  exitCode: 0 | 1;
  base: { ref: string; commit: string } | null;
  throwaway: 'server' | 'embedded' | null;
  environment: string | null;
  families: string[];
  added: string[];
  checked: string[];
  findings: CheckFindingDto[];
  silenced: CheckFindingDto[];
  /** The Markdown report, for copying into a pull request. */
  markdown: string;
}

/** A session in the way of a run (engine/preflight): it holds or waits for a conflicting lock, or idles in a transaction, … */
export interface PreflightBlockerDto {
  pid: number;
  user: string | null;
  application: string | null;
  state: string | null;
  backendType: string | null;
  ageMs: number | null;
  query: string | null;
  kinds: ('lock-conflict' | 'long-transaction' | 'idle-in-transaction' | 'pg_dump' | 'autovacuum')[];
  conflicts: { relation: string; mode: string; granted: boolean; needed: string; migration: string; line: number }[];
  reason: string;
}

/** One read-only check of existing rows against a pending statement (for `unique`, count = duplicate groups). */
export interface DataCheckDto {
  kind: 'not-null' | 'unique' | 'foreign-key' | 'check' | 'type-cast';
  migration: string;
  line: number;
  statement: string;
  table: string;
  columns: string[];
  constraint?: string | undefined;
  status: 'ok' | 'violations' | 'skipped' | 'error' | 'timeout';
  count: number | null;
  rows?: number | undefined;
  samples: string[];
  detail: string;
}

/** `migrations/preflight`: blockers and data checks for the pending run; `clear` when there is nothing of either. */
export interface PreflightDto {
  environment: string;
  direction: 'up' | 'down';
  migrations: string[];
  serverVersion: number;
  blockers: PreflightBlockerDto[];
  dataChecks: DataCheckDto[];
  clear: boolean;
  thresholds: { longTransactionMs: number; idleInTransactionMs: number; checkTimeoutMs: number };
  note?: string | undefined;
}

/** One statement run on the rehearsal clone: what was predicted beside what pg_locks and relfilenode showed. */
export interface RehearsedStatementDto {
  line: number;
  text: string;
  status: 'ok' | 'failed' | 'not-run';
  durationMs: number | null;
  error?: { message: string; code?: string | undefined; detail?: string | undefined } | undefined;
  observed: { locks: { relation: string; mode: string }[]; rewritten: string[]; sampled: boolean } | null;
  predicted: { locks: { relation: string; mode: string }[]; rewrite: boolean; scan: boolean };
  /** Whether the strongest lock per relation and the rewrite flag agree (null when not run). */
  matches: { locks: boolean; rewrite: boolean } | null;
}

export interface RehearsalDto {
  environment: string;
  /** The throwaway database: how its schema was made, how many rows were copied, and that it is gone. */
  /** Null when nothing is pending (no clone is made). */
  clone: { database: string; schemaSource: 'pg_dump' | 'migrations'; sampleRows: number; rowsCopied: number; dropped: boolean; note?: string | undefined } | null;
  serverVersion: number;
  migrations: { name: string; transactional: boolean; status: 'ok' | 'failed' | 'not-run'; durationMs: number | null; statements: RehearsedStatementDto[] }[];
  ok: boolean;
  durationMs: number;
}

/** A migration `environments/adoptDrift` wrote from an environment's drift and marked applied there. */
export interface AdoptedDriftDto {
  name: string;
  upSql: string;
  downSql: string;
}

/** `project/browse`: one folder of browser mode's folder picker (confined to the home folder). */
export interface FolderListingDto {
  path: string;
  parent: string | null;
  root: string;
  isProject: boolean;
  folders: { name: string; path: string; isProject: boolean }[];
}

/** `migrations/analyseSql`: the checks `migrations/detail` runs, on SQL not yet saved. */
export interface SqlAnalysisDto {
  upWarnings: WarningDto[];
  downWarnings: WarningDto[];
  nonTransactional: string[];
  upParseError: string | null;
  downParseError: string | null;
}

/** `tables/structure`: one table as a DBA reads it (engine/introspect/table-structure.ts); psql's `\d` text kept beside it. */
export interface TableStructureDto {
  environment: string;
  schema: string;
  name: string;
  /** The SQL name, quoted where SQL needs it: `public."User"`. */
  qualified: string;
  /** psql's title word: "Table", "Partitioned table", "View" … */
  kind: string;
  comment: string | null;
  columns: { position: number; name: string; type: string; nullable: boolean; default: string | null; identity: 'always' | 'by default' | null; generated: string | null; collation: string | null; comment: string | null }[];
  indexes: { name: string; definition: string; method: string; primary: boolean; unique: boolean; constraint: 'p' | 'u' | 'x' | null; valid: boolean; partial: boolean; sizeBytes: number | null }[];
  constraints: { name: string; type: 'primary key' | 'unique' | 'exclusion' | 'check' | 'foreign key'; definition: string }[];
  foreignKeys: {
    /** This table's foreign keys: `table` is the table declaring it (an ancestor for a partition's inherited one). */
    outgoing: { name: string; definition: string; references: string }[];
    /** Other tables' foreign keys to this one. */
    incoming: { name: string; table: string; definition: string }[];
  };
  triggers: { name: string; definition: string; enabled: 'enabled' | 'disabled' | 'replica' | 'always' }[];
  policies: { name: string; command: string | null; permissive: boolean; roles: string | null; using: string | null; withCheck: string | null }[];
  rowSecurity: { enabled: boolean; forced: boolean };
  /** Planner statistics and on-disk sizes (null where the server has none: never analysed, a view). */
  stats: { rowsEstimate: number | null; totalBytes: number | null; tableBytes: number | null; indexBytes: number | null; toastBytes: number | null; lastVacuum: string | null; lastAnalyze: string | null };
  /** CREATE statements for the table and what hangs on it, written from pg_get_*def (engine/catalog). */
  ddl: string;
  /** psql's `\d` and `\d+` text for the same table. */
  psql: string;
  psqlPlus: string;
}

/** One row of a per-table compare: one column, index, constraint … on either side, and how the sides differ. */
export interface TableCompareRowDto {
  kind: string;
  /** Its own name (a column's, an index's …), unquoted. */
  name: string;
  /** Set for another table's foreign key that references this table. */
  incomingFrom?: string | undefined;
  a: string | null;
  b: string | null;
  status: 'same' | 'changed' | 'only-a' | 'only-b';
}

/** `tables/compare`: one table in two environments, side by side, noise (OIDs, ordering, server versions) left out. */
export interface TableCompareDto {
  a: string;
  b: string;
  schema: string;
  name: string;
  /** Whether the table exists on each side. */
  inA: boolean;
  inB: boolean;
  rows: TableCompareRowDto[];
  differences: number;
  /** SQL that makes a's table like b's, and the reverse (what a generated migration's migration.sql and down.sql hold). */
  sqlAtoB: string;
  sqlBtoA: string;
}
