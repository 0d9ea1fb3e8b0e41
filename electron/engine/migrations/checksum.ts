import { createHash, hash as oneShotHash } from 'node:crypto';

/** Prisma's checksum of a migration: lowercase hex SHA-256 of migration.sql's bytes as on disk. */
export function migrationChecksum(content: string | Uint8Array): string {
  // The one-shot form skips the Hash object: a thousand files are read on every `status`.
  if (typeof content !== 'string') return oneShotHash('sha256', content, 'hex');
  return createHash('sha256').update(content, 'utf8').digest('hex');
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
