import { describe, expect, it } from 'vitest';
import { formatCount } from './settings.ts';

describe('formatCount', () => {
  it('writes counts as toLocaleString("en-US") does', () => {
    for (const n of [0, 7, 999, 1000, 1234, 12345, 999999, 1000000, 1234567890, 9007199254740991, -1234, -999, 12.5, 1234.25]) {
      expect(formatCount(n), String(n)).toBe(n.toLocaleString('en-US'));
    }
  });
});
