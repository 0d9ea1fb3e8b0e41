import { describe, expect, it } from 'vitest';
import { nameParts, ownPart } from './qualified-name.ts';

describe('qualified names as the catalog writes them', () => {
  it('splits at dots outside quotes only, and unquotes', () => {
    expect(nameParts('public."MarketData.date_symbol_unique"')).toEqual(['public', 'MarketData.date_symbol_unique']);
    expect(nameParts('public.users.email')).toEqual(['public', 'users', 'email']);
    expect(nameParts('"my schema"."say ""hi"""')).toEqual(['my schema', 'say "hi"']);
    expect(ownPart('public."Order.user_key"')).toBe('Order.user_key');
    expect(ownPart('plain')).toBe('plain');
  });
});
