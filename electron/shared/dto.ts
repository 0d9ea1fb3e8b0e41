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
}

export interface ProjectDto {
  dir: string;
  name: string;
  isDemo: boolean;
  /** Where passwords typed in the app are kept, in words. */
  secretStorage: string;
  environments: EnvironmentDto[];
  migrations: { name: string; hasDownSql: boolean }[];
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
}

export interface EnvironmentStatusDto {
  environment: string;
  protected: boolean;
  location: string;
  head: string | null;
  migrations: MigrationStatusDto[];
  summary: { applied: number; pending: number; failed: number; edited: number; missingLocally: number; rolledBack: number; diverged: boolean };
  drift: { drifted: boolean; reconcileSql: string | null } | null;
  /** Set when the environment could not be reached; the rest is then empty. */
  error?: string | undefined;
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

export interface PreviewDto {
  environment: string;
  direction: 'up' | 'down';
  headAfter: string | null;
  steps: { name: string; file: string; transactional: boolean; nonTransactional: string[]; warnings: WarningDto[]; sql: string; unanalysed: boolean; parseError: string | null; analysis?: StatementAnalysisDto[] | undefined }[];
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
}

export interface RunReportDto {
  environment: string;
  direction: 'up' | 'down';
  completed: { name: string; durationMs: number }[];
  headAfter: string | null;
  durationMs: number;
}

export interface NewMigrationDto {
  name: string;
  upSql: string;
  downSql: string;
  warnings: string[];
  unexecutable: string[];
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
}

export interface SettingsDto {
  theme: 'system' | 'light' | 'dark';
  recentProjects: string[];
}

export interface ConnectionTestDto {
  ok: boolean;
  message: string;
}
