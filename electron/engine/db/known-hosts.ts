import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const defaultKnownHostsFile = () => join(homedir(), '.ssh', 'known_hosts');

/** The fingerprint OpenSSH shows for a host key: `SHA256:` and unpadded base64 of the key blob's SHA-256. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The name a host has in known_hosts: `host`, or `[host]:port` when the port is not 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    // Hashed entry (HashKnownHosts yes): |1|base64(salt)|base64(HMAC-SHA1(salt, name))
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

export type HostKeyVerdict = 'known' | 'unknown' | 'changed';

/**
 * Checks a host key against a known_hosts file as OpenSSH does: a line whose host patterns match (negations `!` and
 * `@revoked` refuse) with the same key is known; a matching line with only other keys of the same type is a change.
 */
export function checkHostKey(file: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'unknown';
  }
  const name = knownHostsName(host, port);
  const keyType = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  let changed = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const marker = parts[0]!.startsWith('@') ? parts.shift() : undefined;
    const [hosts, type, blob] = parts;
    if (!hosts || !type || !blob || marker === '@cert-authority') continue;
    const patterns = hosts.split(',');
    if (patterns.some((p) => p.startsWith('!') && patternMatches(p.slice(1), name))) continue;
    if (!patterns.some((p) => !p.startsWith('!') && patternMatches(p, name))) continue;
    const same = Buffer.from(blob, 'base64').equals(key);
    if (marker === '@revoked') {
      if (same) return 'changed';
      continue;
    }
    if (same) return 'known';
    if (type === keyType) changed = true;
  }
  return changed ? 'changed' : 'unknown';
}

/** Records an accepted host key, creating the file (and ~/.ssh) when needed. */
export function addKnownHost(file: string, host: string, port: number, key: Buffer): void {
  const keyType = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const text = readFileSync(file, 'utf8');
    if (text && !text.endsWith('\n')) prefix = '\n';
  } catch {
    // a new file
  }
  appendFileSync(file, `${prefix}${knownHostsName(host, port)} ${keyType} ${key.toString('base64')}\n`, { mode: 0o600 });
}
