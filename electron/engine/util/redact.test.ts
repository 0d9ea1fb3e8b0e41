import { describe, expect, it } from 'vitest';
import { parse } from 'pg-connection-string';
import { displayUrl, mayHoldSecret, redactSecrets, redactUrl } from './redact.ts';

describe('redactSecrets', () => {
  it('masks the password of a URL inside a text', () => {
    expect(redactSecrets('connect postgresql://bob:s3cr%40t@db:5432/app failed')).toBe(
      'connect postgresql://bob:****@db:5432/app failed',
    );
  });
  it('masks libpq key-value passwords', () => {
    expect(redactSecrets("host=x password='a b' user=y")).toBe('host=x password=**** user=y');
  });
  it('leaves URLs without a password alone', () => {
    expect(redactSecrets('postgresql://bob@db/app')).toBe('postgresql://bob@db/app');
  });
});

describe('displayUrl', () => {
  it('drops the password and the query string', () => {
    expect(displayUrl('postgresql://bob:pw@db:6543/app?sslmode=require&password=x')).toBe(
      'postgresql://bob@db:6543/app',
    );
  });
});

describe('redaction as pg reads a URL', () => {
  const cases = [
    'postgresql://app:9f3aQ7@canary2@db.example:5432/app',
    'postgresql://app:p@ss:w@rd@db/app?sslmode=require',
    'postgres://app:a%40b@[::1]:5432/app',
    'postgresql://app:with space@db/app',
  ];
  it('masks the whole password pg would send, even with an unencoded @ in it', () => {
    for (const url of cases) {
      const password = parse(url).password!;
      expect(password.length).toBeGreaterThan(2);
      for (const out of [redactUrl(url), redactSecrets(`connect ${url} failed`), displayUrl(url)]) {
        expect(out).not.toContain(password);
        expect(out).not.toContain(encodeURIComponent(password));
        expect(out).not.toContain(password.slice(-6));
      }
    }
    expect(redactSecrets('postgresql://app:9f3aQ7@canary2@host/db')).toBe('postgresql://app:****@host/db');
  });
  it('masks passwords of URLs pg cannot parse (port out of range, another scheme, an unencoded slash)', () => {
    expect(redactUrl('postgresql://app:9f3aQ7-canary@db:99999/app')).toBe('postgresql://app:****@db:99999/app');
    expect(redactUrl('mysql://root:9f3aQ7-canary@db/app')).toBe('mysql://root:****@db/app');
    expect(redactUrl('postgresql://app:9f3a/Q7-canary@db/app')).toBe('postgresql://app:****@db/app');
    // An `@` before the slash and another after it: the password is up to the last one.
    expect(redactUrl('postgresql://gf_u:p@ss:w/rd@127.0.0.1:5432/gf_dev')).toBe('postgresql://gf_u:****@127.0.0.1:5432/gf_dev');
    // No scheme at all: still a user, a password and a host.
    expect(redactUrl('hostile_u:S3cret@Pw!@127.0.0.1/hostile_a')).toBe('hostile_u:****@127.0.0.1/hostile_a');
    expect(redactUrl('db.example:5432/app')).toBe('db.example:5432/app');
    expect(redactSecrets('url postgresql://gf_u:p@ss:w/rd@127.0.0.1:5432/gf_dev failed')).toBe('url postgresql://gf_u:****@127.0.0.1:5432/gf_dev failed');
    expect(displayUrl('postgresql://gf_u:p@ss:w/rd@127.0.0.1:5432/gf_dev')).not.toMatch(/ss:w|rd@/);
    expect(displayUrl('postgresql://app:9f3aQ7-canary@db:99999/app?x=1')).toBe('postgresql://app:****@db:99999/app');
    expect(redactUrl('postgresql://db:5432/app?password=9f3aQ7-canary')).toBe('postgresql://db:5432/app?password=****');
  });
  it('leaves hosts, ports and placeholders that carry no password alone', () => {
    expect(redactUrl('postgresql://db:5432/app')).toBe('postgresql://db:5432/app');
    expect(redactUrl('env:DATABASE_URL')).toBe('env:DATABASE_URL');
    expect(redactSecrets('Expected postgresql://user@host:port/database.')).toBe('Expected postgresql://user@host:port/database.');
  });
});


describe('mayHoldSecret (the quick test before masking a command line)', () => {
  const masked = [
    'postgresql://bob:s3cr%40t@db:5432/app', 'connect postgresql://bob:pw@db/app failed', "host=x password='a b' user=y",
    'postgresql://app:9f3aQ7@canary2@db.example:5432/app', 'postgresql://app:p@ss:w@rd@db/app?sslmode=require',
    'postgres://app:a%40b@[::1]:5432/app', 'postgresql://app:with space@db/app', 'postgresql://app:9f3a/Q7-canary@db/app',
    'postgresql://gf_u:p@ss:w/rd@127.0.0.1:5432/gf_dev', 'hostile_u:S3cret@Pw!@127.0.0.1/hostile_a',
    'postgresql://db:5432/app?password=9f3aQ7-canary', '--url=postgresql://u:pw@h/db', 'postgresql://u://x@host/db',
    'mysql://root:pw@db/app', 'PASSWORD=x', 'postgresql://u:@host/db',
  ];
  it('is true of every text the masks change', () => {
    for (const text of masked) {
      expect(redactSecrets(redactUrl(text)), text).not.toBe(text);
      expect(mayHoldSecret(text), text).toBe(true);
    }
  });
  it('is false of command lines with no password in them, which then skip the masks', () => {
    for (const text of ['tables', '--url', 'postgresql://postgres@127.0.0.1:5432/app', 'postgresql://db:5432/app', 'env:DATABASE_URL', '--env=prod', '/tmp/project']) {
      expect(redactSecrets(redactUrl(text))).toBe(text);
      expect(mayHoldSecret(text), text).toBe(false);
    }
  });
});
