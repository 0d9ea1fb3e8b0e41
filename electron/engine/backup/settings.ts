import { GodwitError } from '../util/errors.ts';
import type { EnvironmentConfig } from '../project/environment-config.ts';

/** An environment's backup settings from godwit.json. */
export interface BackupSettings {
  /** Above this estimated size Godwit asks before copying (default 1 GB). */
  limitBytes?: number | undefined;
  /** Backups older than this are dropped at the start of each run (default: 30 days; 0 keeps them forever). */
  retentionDays?: number | undefined;
  /** A pg_dump of the affected tables to the user's data directory before each run that destroys data. */
  beforeRun?: boolean | undefined;
}

export const DEFAULT_BACKUP_LIMIT_BYTES = 1024 ** 3;
export const DEFAULT_RETENTION_DAYS = 30;

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** 1073741824, "1GB", "500 MB", "2.5gb" → bytes (binary units). */
export function parseSize(value: number | string, what: string): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(value);
  if (!m) throw new GodwitError('bad-size', `${what} must be a number of bytes or a size like "500MB" or "1GB", not "${value}".`);
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
}

export function backupSettings(cfg: EnvironmentConfig): BackupSettings | undefined {
  if (cfg.backupLimit === undefined && cfg.backupRetentionDays === undefined && cfg.backupBeforeRun === undefined) return undefined;
  return {
    limitBytes: cfg.backupLimit === undefined ? undefined : parseSize(cfg.backupLimit, `Environment "${cfg.name}": backupLimit`),
    retentionDays: cfg.backupRetentionDays,
    beforeRun: cfg.backupBeforeRun,
  };
}

/**
 * "1,234,567" (as toLocaleString('en-US') writes it, without its cost: the first call loads ICU's number formats,
 * 12–40 ms of every rollback that restores a backup).
 */
export function formatCount(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac.slice(0, 3)}`;
}

/** "12.3 MB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
