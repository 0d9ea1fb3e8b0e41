import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { GodwitError } from '../util/errors.ts';
import { migrationChecksum } from './checksum.ts';
import { firstInvalidUtf8Byte } from './utf8.ts';

/** One migration directory of the project. */
export interface LocalMigration {
  name: string;
  dir: string;
  /** migration.sql exactly as on disk (valid UTF-8: anything else is refused when reading). */
  upSql: string;
  /** Prisma's checksum, over the file's bytes. */
  checksum: string;
  /** down.sql, or null when the migration has none (read on first use when the folder was read with lazyDown). */
  downSql: string | null;
  /** Whether down.sql exists: known without reading it, so asking never reads the file. */
  hasDownSql: boolean;
}

export interface ReadFolderOptions {
  /**
   * Only see whether each down.sql exists; its text is read when first asked for. `status` shows presence only, and
   * reading a thousand down.sql files it never looks at was a third of its reading.
   */
  lazyDown?: boolean;
}

export interface MigrationsFolder {
  dir: string;
  /** False when the folder does not exist (yet): an empty history, which a user may not expect (a mistyped path). */
  exists: boolean;
  lockfilePath: string;
  lockfileContent: string | null;
  /** Sorted by name, which Prisma's timestamp prefix makes chronological. */
  migrations: LocalMigration[];
}

export const LOCKFILE = 'migration_lock.toml';
/** Files at the top of the migrations folder that are not migrations but are harmless. */
const TOLERATED_FILES = new Set([LOCKFILE, '.gitkeep', '.DS_Store', 'README.md']);

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The position of a migration in the folder; an unknown name is the user's error, said the same way everywhere. */
export function migrationIndex(folder: MigrationsFolder, name: string): number {
  const index = folder.migrations.findIndex((m) => m.name === name);
  if (index === -1) throw new GodwitError('unknown-migration', `There is no migration named "${name}" in the migrations folder.`);
  return index;
}

export function findMigration(folder: MigrationsFolder, name: string): LocalMigration {
  return folder.migrations[migrationIndex(folder, name)]!;
}

/** The provider a lock file names, e.g. "postgresql". */
export function lockfileProvider(content: string): string | null {
  return /^\s*provider\s*=\s*"([^"]+)"/m.exec(content)?.[1] ?? null;
}

/** Reads and validates a migrations folder; a folder that does not exist yet is an empty history. */
export async function readMigrationsFolder(dir: string, projectDir: string, opts: ReadFolderOptions = {}): Promise<MigrationsFolder> {
  const shown = relative(projectDir, dir) || '.';
  const lockfilePath = join(dir, LOCKFILE);
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { dir, exists: false, lockfilePath, lockfileContent: null, migrations: [] };
    }
    throw new GodwitError('migrations-unreadable', `Cannot read the migrations folder ${shown}: ${(err as Error).message}`);
  }
  const lockfileContent = await readOptional(lockfilePath);
  if (lockfileContent !== null) {
    const provider = lockfileProvider(lockfileContent);
    if (provider !== null && provider !== 'postgresql' && provider !== 'postgres') {
      throw new GodwitError(
        'wrong-provider',
        `${shown}/${LOCKFILE} is for provider "${provider}"; Godwit manages PostgreSQL migrations only.`,
      );
    }
  }
  const sorted = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of sorted) {
    if (entry.isDirectory() || TOLERATED_FILES.has(entry.name)) continue;
    throw new GodwitError(
      'stray-file',
      `The migrations folder has a stray file ${shown}/${entry.name}; it holds only migration folders and ${LOCKFILE}.`,
      'Move the file elsewhere or into a migration folder.',
    );
  }
  // Small files read synchronously: for a thousand migrations this is several times faster than a promise per file.
  // Every few dozen the event loop gets a turn, so a database connection opened meanwhile makes progress (status).
  const migrations: LocalMigration[] = [];
  for (const entry of sorted) {
    if (!entry.isDirectory()) continue;
    migrations.push(readMigration(join(dir, entry.name), entry.name, shown, opts.lazyDown === true));
    if (migrations.length % YIELD_EVERY === 0) await new Promise(setImmediate);
  }
  return { dir, exists: true, lockfilePath, lockfileContent, migrations };
}

/**
 * A migration file's text. PostgreSQL would be sent something else than the file if it were decoded with U+FFFD
 * replacements, and its checksum would not be Prisma's: a file that is not UTF-8 is refused, naming the first bad byte.
 */
function decodeUtf8(bytes: Buffer, shown: string): string {
  const refusal = notUtf8(bytes, shown);
  if (refusal) throw refusal;
  return bytes.toString('utf8');
}

function notUtf8(bytes: Buffer, shown: string): GodwitError | null {
  const bad = firstInvalidUtf8Byte(bytes);
  if (bad === -1) return null;
  return new GodwitError(
    'not-utf8',
    `${shown} is not valid UTF-8: byte ${bad} (0x${bytes[bad]!.toString(16).padStart(2, '0')}) is not part of a UTF-8 character.`,
    'Save it as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8), as Prisma also requires.',
  );
}

const YIELD_EVERY = 64;

/** One buffer for every file read: a migration's bytes are hashed and decoded, never kept (no allocation per file). */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * The file's bytes, valid until the next read; null when it does not exist. open, read, close: no fstat, no buffer
 * per file (readFileSync has both), which is most of the time status spends on a thousand migrations.
 */
function readScratch(path: string): Buffer | null {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO named migration.sql must not hang the process (browser mode froze whole); files ignore it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafeSlow(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const wanted = scratch.length - length;
      let got: number;
      try {
        got = readSync(fd, scratch, length, wanted, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') notAFile(fd);
        throw err;
      }
      length += got;
      // An empty read is an empty file, or a FIFO or device with nothing (yet): only then is it worth an fstat.
      if (length === 0) notAFile(fd);
      // A regular file reads short only at its end: no extra read to see 0 bytes.
      if (got < wanted) return scratch.subarray(0, length);
    }
  } finally {
    closeSync(fd);
  }
}

/** Throws when `fd` is not a regular file (a FIFO, a socket, a device). */
function notAFile(fd: number): void {
  if (!fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
}

function readMigration(path: string, name: string, shown: string, lazyDown: boolean): LocalMigration {
  let up: Buffer | null;
  try {
    up = readScratch(`${path}${sep}migration.sql`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GodwitError(
      'unreadable-migration-sql',
      `Cannot read ${shown}/${name}/migration.sql: ${code ?? (err as Error).message}.`,
    );
  }
  if (!up) throw new GodwitError('missing-migration-sql', `Migration ${name} has no migration.sql (${shown}/${name}).`);
  // Decoded and hashed before down.sql reuses the buffer; a refusal is thrown after down.sql is read, as it always was.
  const upRefusal = notUtf8(up, `${shown}/${name}/migration.sql`);
  const upSql = upRefusal ? '' : up.toString('utf8');
  const checksum = upRefusal ? '' : migrationChecksum(up);
  if (lazyDown) {
    if (upRefusal) throw upRefusal;
    return withLazyDown({ name, dir: path, upSql, checksum, downSql: null, hasDownSql: existsSync(`${path}${sep}down.sql`) }, shown);
  }
  const down = readDown(path, name, shown);
  if (upRefusal) throw upRefusal;
  const downSql = down && decodeUtf8(down, `${shown}/${name}/down.sql`);
  return { name, dir: path, upSql, checksum, downSql, hasDownSql: downSql !== null };
}

/** A migration's down.sql bytes (valid until the next read), or null when it has none. */
function readDown(path: string, name: string, shown: string): Buffer | null {
  try {
    return readScratch(`${path}${sep}down.sql`);
  } catch (err) {
    throw new GodwitError('unreadable-down-sql', `Cannot read ${shown}/${name}/down.sql: ${(err as Error).message}.`);
  }
}

/** downSql as a property read (and checked as readMigration would) on first use, then kept. */
function withLazyDown(m: LocalMigration, shown: string): LocalMigration {
  let cached: string | null | undefined;
  Object.defineProperty(m, 'downSql', {
    enumerable: true,
    get(): string | null {
      if (cached !== undefined) return cached;
      const down = m.hasDownSql ? readDown(m.dir, m.name, shown) : null;
      cached = down && decodeUtf8(down, `${shown}/${m.name}/down.sql`);
      return cached;
    },
  });
  return m;
}
