import { createHash } from 'node:crypto';

/** Prisma's checksum of a migration: lowercase hex SHA-256 of migration.sql's bytes as on disk. */
export function migrationChecksum(content: string | Uint8Array): string {
  const hash = createHash('sha256');
  return (typeof content === 'string' ? hash.update(content, 'utf8') : hash.update(content)).digest('hex');
}

/**
 * The checksums Prisma accepts for the same (valid UTF-8) file, as its `script_matches_checksum` computes them: as
 * is, with CRLF turned to LF, and with every LF turned to CRLF (a checkout on another OS must not look edited); each
 * also in the format of old engines, hex without zero padding (prisma-engines#1887).
 */
export function acceptedChecksums(sql: string): Set<string> {
  const variants = [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\n/g, '\r\n')];
  const accepted = new Set<string>();
  for (const variant of variants) {
    const digest = createHash('sha256').update(variant, 'utf8').digest();
    accepted.add(digest.toString('hex'));
    accepted.add(Array.from(digest, (b) => b.toString(16)).join(''));
  }
  return accepted;
}
