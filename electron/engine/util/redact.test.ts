import { describe, expect, it } from 'vitest';
import { displayUrl, redactSecrets } from './redact.ts';

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
