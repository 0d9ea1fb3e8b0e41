import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GodwitError } from '../util/errors.ts';
import { acceptedChecksums } from './checksum.ts';
import { readMigrationsFolder } from './read-folder.ts';
import { firstInvalidUtf8Byte } from './utf8.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'godwit-folder-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function migration(name: string, up: Uint8Array | string, down?: Uint8Array | string): Promise<void> {
  await mkdir(join(dir, 'migrations', name), { recursive: true });
  await writeFile(join(dir, 'migrations', name, 'migration.sql'), up);
  if (down !== undefined) await writeFile(join(dir, 'migrations', name, 'down.sql'), down);
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (err: unknown) => err as GodwitError);

describe('a migration file that is not UTF-8', () => {
  it('is refused, naming the file and the offset of the first invalid byte', async () => {
    // "café" in Latin-1: é is the lone byte 0xE9 at offset 26.
    await migration('20240101000000_latin1', Buffer.concat([Buffer.from("INSERT INTO t VALUES ('caf"), Buffer.from([0xe9]), Buffer.from("');\n")]));
    const err = await refusal(readMigrationsFolder(join(dir, 'migrations'), dir));
    expect(err).toBeInstanceOf(GodwitError);
    expect(err!.code).toBe('not-utf8');
    expect(err!.message).toBe('migrations/20240101000000_latin1/migration.sql is not valid UTF-8: byte 26 (0xe9) is not part of a UTF-8 character.');
  });

  it('is refused for down.sql too: it would run with replacement characters', async () => {
    await migration('20240101000000_ok', 'SELECT 1;\n', Buffer.from([0x53, 0x45, 0x4c, 0xff]));
    expect((await refusal(readMigrationsFolder(join(dir, 'migrations'), dir)))?.message).toMatch(/^migrations\/20240101000000_ok\/down\.sql is not valid UTF-8: byte 3 \(0xff\)/);
  });
});

describe('firstInvalidUtf8Byte', () => {
  it('finds what a strict decoder refuses, and accepts what it accepts', () => {
    const cases: [number[], number][] = [
      [[0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], -1],
      [[0xef, 0xbb, 0xbf, 0x61], -1], // a BOM is valid UTF-8, kept as Prisma keeps it
      [[0x61, 0xc0, 0xaf], 1], // overlong '/'
      [[0x61, 0x62, 0xe0, 0x80, 0xaf], 2], // overlong, three bytes
      [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x61, 0xe2, 0x82], 1], // truncated at the end
      [[0x61, 0x80], 1], // a stray continuation byte
    ];
    for (const [bytes, at] of cases) {
      expect(firstInvalidUtf8Byte(Uint8Array.from(bytes)), bytes.join(',')).toBe(at);
      expect(at === -1).toBe(Buffer.from(new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(bytes))).equals(Buffer.from(bytes)));
    }
  });
});

describe('checksums', () => {
  it('are SHA-256 of the file bytes, BOM and CRLF included', async () => {
    const bytes = Buffer.from('\ufeffCREATE TABLE "é" (id int);\r\n-- fin\r\n');
    await migration('20240101000000_bom', bytes);
    const [m] = (await readMigrationsFolder(join(dir, 'migrations'), dir)).migrations;
    expect(m!.checksum).toBe(sha256(bytes));
    expect(m!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accept exactly Prisma's line-ending variants and its old unpadded format", () => {
    const lf = 'SELECT 1;\nSELECT 2;\n';
    const crlf = 'SELECT 1;\r\nSELECT 2;\r\n';
    const hash = (s: string) => createHash('sha256').update(s).digest();
    // A file checked out with CRLF matches a history row written from LF, and the reverse.
    expect(acceptedChecksums(crlf).has(hash(lf).toString('hex'))).toBe(true);
    expect(acceptedChecksums(lf).has(hash(crlf).toString('hex'))).toBe(true);
    // Prisma turns every LF of a mixed file into CRLF (CRLF becoming CR CR LF); it does not normalise it.
    const mixed = 'SELECT 1;\r\nSELECT 2;\n';
    expect([...acceptedChecksums(mixed)].filter((c) => c.length === 64)).toEqual(
      [mixed, 'SELECT 1;\nSELECT 2;\n', 'SELECT 1;\r\r\nSELECT 2;\r\n'].map((s) => hash(s).toString('hex')),
    );
    const old = Array.from(hash(lf), (b) => b.toString(16)).join('');
    expect(acceptedChecksums(lf).has(old)).toBe(true);
  });
});

describe('reading with lazyDown (status)', () => {
  it('sees which down.sql exist without reading them, and reads each on first use exactly as the eager read does', async () => {
    await migration('20240101000000_with_down', 'CREATE TABLE a (id int);\n', 'DROP TABLE a;\n');
    await migration('20240102000000_without_down', 'CREATE TABLE b (id int);\n');
    await migration('20240103000000_empty_down', 'SELECT 1;\n', '');
    const eager = await readMigrationsFolder(join(dir, 'migrations'), dir);
    const lazy = await readMigrationsFolder(join(dir, 'migrations'), dir, { lazyDown: true });
    expect(lazy.migrations.map((m) => m.hasDownSql)).toEqual([true, false, true]);
    // Edited after the read: a lazy read shows the file as it is when first asked for, an eager one as it was.
    await writeFile(join(dir, 'migrations', '20240101000000_with_down', 'down.sql'), 'DROP TABLE a CASCADE;\n');
    expect(lazy.migrations.map((m) => m.downSql)).toEqual(['DROP TABLE a CASCADE;\n', null, '']);
    expect(eager.migrations.map((m) => m.downSql)).toEqual(['DROP TABLE a;\n', null, '']);
    expect(eager.migrations.map((m) => m.hasDownSql)).toEqual([true, false, true]);
    expect(lazy.migrations.map(({ name, upSql, checksum }) => ({ name, upSql, checksum }))).toEqual(eager.migrations.map(({ name, upSql, checksum }) => ({ name, upSql, checksum })));
  });

  it('refuses a down.sql that is not UTF-8 when it is first used, with the same message', async () => {
    await migration('20240101000000_ok', 'SELECT 1;\n', Buffer.from([0x53, 0x45, 0x4c, 0xff]));
    const lazy = await readMigrationsFolder(join(dir, 'migrations'), dir, { lazyDown: true });
    expect(lazy.migrations[0]!.hasDownSql).toBe(true);
    expect(() => lazy.migrations[0]!.downSql).toThrow(/^migrations\/20240101000000_ok\/down\.sql is not valid UTF-8: byte 3 \(0xff\)/);
  });
});

describe('a migration file that is not a file', () => {
  it('is refused at once when it is a FIFO (reading one waited forever: browser mode froze whole), an empty file still reads', async () => {
    const { execFileSync } = await import('node:child_process');
    await migration('20240101000000_empty', '');
    await mkdir(join(dir, 'migrations', '20240102000000_fifo'), { recursive: true });
    execFileSync('mkfifo', [join(dir, 'migrations', '20240102000000_fifo', 'migration.sql')]);
    const err = await refusal(readMigrationsFolder(join(dir, 'migrations'), dir));
    expect(err).toBeInstanceOf(GodwitError);
    expect(err!.message).toBe('Cannot read migrations/20240102000000_fifo/migration.sql: not a regular file.');
    await rm(join(dir, 'migrations', '20240102000000_fifo'), { recursive: true });
    expect((await readMigrationsFolder(join(dir, 'migrations'), dir)).migrations.map((m) => [m.name, m.upSql])).toEqual([['20240101000000_empty', '']]);
  });
});
