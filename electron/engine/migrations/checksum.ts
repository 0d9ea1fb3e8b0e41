import { createHash } from 'node:crypto';

/** Prisma's checksum of a migration: lowercase hex SHA-256 of the raw migration.sql text. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * The checksums Prisma accepts for the same file: as is, with CRLF turned to LF, and with LF turned to CRLF (a
 * checkout on another OS must not look edited).
 */
export function acceptedChecksums(sql: string): Set<string> {
  const lf = sql.replace(/\r\n/g, '\n');
  const crlf = lf.replace(/\n/g, '\r\n');
  return new Set([migrationChecksum(sql), migrationChecksum(lf), migrationChecksum(crlf)]);
}
