import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGodwitJson, removeEnvironment, saveEnvironment } from './environment-config.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'godwit-envcfg-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (json: unknown) => {
  await writeFile(join(dir, 'godwit.json'), JSON.stringify(json));
  return readGodwitJson(dir);
};

// The schema uses zod's mini build (start-up time); these are the messages the classic build gave, word for word.
describe('godwit.json validation messages', () => {
  it.each([
    [[], 'godwit.json: (top level): Invalid input: expected object, received array.'],
    [{}, 'godwit.json: environments: Invalid input: expected record, received undefined.'],
    [{ environments: {} }, 'godwit.json: environments: define at least one environment.'],
    [{ environments: { dev: { url: '' } } }, 'godwit.json: environments.dev.url: url must not be empty.'],
    [{ environments: { dev: { url: 5 } } }, 'godwit.json: environments.dev.url: Invalid input: expected string, received number.'],
    [{ environments: { '-x': { url: 'a' } } }, 'godwit.json: environments.-x: Invalid key in record.'],
    [{ environments: { dev: { url: 'a', extra: 1 } } }, 'godwit.json: environments.dev: Unrecognized key: "extra".'],
    [{ x: 1, environments: { dev: { url: 'a' } } }, 'godwit.json: (top level): Unrecognized key: "x".'],
    [{ environments: { dev: { url: 'a', lockTimeout: -1 } } }, 'godwit.json: environments.dev.lockTimeout: Too small: expected number to be >=0.'],
    [{ environments: { dev: { url: 'a', lockAttempts: 1.5 } } }, 'godwit.json: environments.dev.lockAttempts: Invalid input: expected int, received number.'],
    [{ environments: { dev: { url: 'a', lockAttempts: 101 } } }, 'godwit.json: environments.dev.lockAttempts: Too big: expected number to be <=100.'],
    [{ environments: { dev: { url: 'a', shadowCache: 'yes' } } }, 'godwit.json: environments.dev.shadowCache: Invalid input: expected boolean, received string.'],
  ])('%j → %s', async (json, message) => {
    await expect(read(json)).rejects.toThrow(message);
  });

  it('accepts a valid file and fills the defaults', async () => {
    expect(await read({ environments: { dev: { url: 'env:DATABASE_URL' }, prod: { url: 'env:P', protected: true, lockTimeout: '5s', lockAttempts: 3, shadowCache: true } } })).toEqual([
      { name: 'dev', url: 'env:DATABASE_URL', protected: false },
      { name: 'prod', url: 'env:P', protected: true, lockTimeout: '5s', lockAttempts: 3, shadowCache: true },
    ]);
  });
});

describe('saving godwit.json from the app', () => {
  const before = { environments: { dev: { url: 'env:DEV_URL' }, prod: { url: 'env:PROD_URL', protected: true } } };
  const unchanged = async () => {
    expect(JSON.parse(await readFile(join(dir, 'godwit.json'), 'utf8'))).toEqual(before);
    expect((await readdir(dir)).filter((f) => f !== 'godwit.json')).toEqual([]); // no temporary file left
  };

  it('writes nothing that would not read back: a bad entry leaves the file as it was', async () => {
    await writeFile(join(dir, 'godwit.json'), JSON.stringify(before));
    const ssh = { host: 'bastion.example', user: 'x' } as never;
    await expect(saveEnvironment(dir, { name: 'prod', url: 'env:PROD_URL', protected: true, ssh }, 'prod')).rejects.toMatchObject({ code: 'godwit-json-invalid' });
    await unchanged();
    await saveEnvironment(dir, { name: 'stage', url: 'postgresql://app@db.example:5432/stage', protected: false });
    expect((await readGodwitJson(dir))!.map((e) => e.name)).toEqual(['dev', 'prod', 'stage']);
  });

  it('never writes a password, however the URL carries it, nor a URL pg would misread', async () => {
    await writeFile(join(dir, 'godwit.json'), JSON.stringify(before));
    for (const url of ['postgresql://127.0.0.1/db?user=u&password=S3cret', 'postgresql://u@127.0.0.1/db?PASSWORD=S3cret', 'postgresql://u@h/db?sslpassword=S3cret', 'u:S3cret@127.0.0.1/db', 'postgresql://u:S3cret@h/db']) {
      await expect(saveEnvironment(dir, { name: 'x', url, protected: false }), url).rejects.toMatchObject({ code: 'password-in-url' });
    }
    for (const url of ['postgresql:/db', 'postgresql:db', 'db.example:5432/x']) {
      await expect(saveEnvironment(dir, { name: 'x', url, protected: false }), url).rejects.toMatchObject({ code: 'bad-url' });
    }
    await unchanged();
  });

  it('removes godwit.json with its last environment, rather than leave one every command refuses', async () => {
    await writeFile(join(dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: 'env:DEV_URL' } } }));
    await removeEnvironment(dir, 'dev');
    expect(await readGodwitJson(dir)).toBeNull();
  });
});

describe('a godwit.json that is not a file', () => {
  it('is refused in one sentence, not read forever (a link to /dev/zero)', async () => {
    const { symlink } = await import('node:fs/promises');
    await symlink('/dev/zero', join(dir, 'godwit.json'));
    await expect(readGodwitJson(dir)).rejects.toThrow('Cannot read godwit.json: it is not a regular file.');
  });
});

it('says where godwit.json is not JSON, never what it holds (it may link to a file of secrets)', async () => {
  await writeFile(join(dir, 'godwit.json'), 'root:$6$secrethash:19000:0:99999:7:::\n');
  const err = await readGodwitJson(dir).catch((e: Error) => e);
  expect((err as Error).message).toBe('godwit.json is not valid JSON.');
  expect((err as Error).message).not.toMatch(/root|secret/);
  await writeFile(join(dir, 'godwit.json'), '{\n  "environments": {\n    "dev": { "url": "env:X" },\n  }\n}\n');
  expect(((await readGodwitJson(dir).catch((e: Error) => e)) as Error).message).toBe('godwit.json is not valid JSON at line 4, column 3.');
  await writeFile(join(dir, 'godwit.json'), '');
  expect(((await readGodwitJson(dir).catch((e: Error) => e)) as Error).message).toBe('godwit.json is not valid JSON: it ends too early.');
});
