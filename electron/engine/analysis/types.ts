import type { LockMode } from './lock-modes.ts';

/** Where a relation stands on the target environment (section 2 of the analysis); absent without an environment. */
export interface RelationStats {
  /** pg_class.reltuples (an estimate); null when the table was never analysed. 0 for a table created by the plan. */
  rows: number | null;
  /** pg_total_relation_size: table, indexes and TOAST. */
  sizeBytes: number;
  /** pg_stat_user_tables counters since the last statistics reset. */
  seqScan: number;
  idxScan: number;
  inserts: number;
  updates: number;
  deletes: number;
  /** (scans + row writes) per second since the statistics reset: the table's activity. */
  opsPerSecond: number | null;
}

export interface RelationLock {
  /** As the statement names it (`schema.name` when qualified), or as the catalog does for an implied relation. */
  relation: string;
  /** The strongest mode the statement holds on it, as pg_locks.mode names it. */
  mode: LockMode;
  /** Set when the environment was read; absent for relations it does not have (yet). */
  stats?: RelationStats | undefined;
  /** The relation is created earlier in the same plan, so it is empty and nobody else uses it yet. */
  createdByPlan?: boolean | undefined;
}

export type Risk = 'low' | 'medium' | 'high';

/** What one statement does to the database it runs on, predicted from its parse tree. */
export interface StatementAnalysis {
  /** 1-based line in the migration file. */
  line: number;
  text: string;
  /** Existing relations the statement locks (relations it creates itself are not listed: nobody can wait on them). */
  locks: RelationLock[];
  /** The table gets a new file (relfilenode): every row is rewritten under the lock, with its indexes. */
  rewrite: boolean;
  /** The table is read in full under the lock (validation, index build, NOT NULL check). */
  scan: boolean;
  warnings: string[];
  advice: string[];
  /** From lock mode × size × activity (see README); only when the environment was read. */
  risk?: Risk | undefined;
  riskReason?: string | undefined;
}

export interface MigrationAnalysis {
  name: string;
  file: 'migration.sql' | 'down.sql';
  statements: StatementAnalysis[];
}

export interface PlanAnalysis {
  /** Server major version the prediction is for. */
  serverVersion: number;
  /** Whether the environment's statistics were read (rows, size, activity, risk are then set). */
  environmentRead: boolean;
  migrations: MigrationAnalysis[];
}
