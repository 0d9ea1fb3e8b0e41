import { GodwitError } from '../util/errors.ts';

/** A psql name pattern turned into anchored regular expressions for the schema and the object name. */
export interface NamePattern {
  schemaRegex: string | null;
  nameRegex: string | null;
}

/**
 * psql's pattern rules (\d, \dt): unquoted text is lower-cased, `*` means any text, `?` any character, `.` separates
 * schema from name, `$` is literal, other regular-expression syntax passes through; inside double quotes everything
 * is literal and `""` is a quote.
 */
export function parseNamePattern(pattern: string): NamePattern {
  const parts: string[] = [''];
  let inQuotes = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '"') {
      if (inQuotes && pattern[i + 1] === '"') {
        parts[parts.length - 1] += '"';
        i++;
      } else inQuotes = !inQuotes;
    } else if (inQuotes) {
      parts[parts.length - 1] += ch.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
    } else if (ch === '.') {
      parts.push('');
    } else if (ch === '*') {
      parts[parts.length - 1] += '.*';
    } else if (ch === '?') {
      parts[parts.length - 1] += '.';
    } else if (ch === '$') {
      parts[parts.length - 1] += '\\$';
    } else {
      parts[parts.length - 1] += ch.toLowerCase();
    }
  }
  if (parts.length > 3) throw new GodwitError('bad-pattern', `Improper qualified name (too many dotted names): ${pattern}`);
  const anchored = (p: string) => (p === '' || p === '.*' ? null : `^(${p})$`);
  const name = parts[parts.length - 1]!;
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : null;
  return { schemaRegex: schema === null ? null : (anchored(schema) ?? '^(.*)$'), nameRegex: anchored(name) };
}

/** SQL conditions for a pattern; visibility (search path) applies when no schema is given, as in psql. */
export function patternCondition(pattern: string | undefined, nsp: string, rel: string, visible: string, params: unknown[]): string {
  if (!pattern) {
    return `${nsp} <> 'pg_catalog' AND ${nsp} !~ '^pg_toast' AND ${nsp} <> 'information_schema' AND ${visible}`;
  }
  const { schemaRegex, nameRegex } = parseNamePattern(pattern);
  const conds: string[] = [];
  if (nameRegex) {
    params.push(nameRegex);
    conds.push(`${rel} OPERATOR(pg_catalog.~) $${params.length} COLLATE pg_catalog.default`);
  }
  if (schemaRegex) {
    params.push(schemaRegex);
    conds.push(`${nsp} OPERATOR(pg_catalog.~) $${params.length} COLLATE pg_catalog.default`);
  } else {
    conds.push(visible);
  }
  return conds.join(' AND ');
}
