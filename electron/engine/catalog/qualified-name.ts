/**
 * The parts of a qualified SQL name as the catalog writes it (`public."MarketData.date_symbol_unique"`), split at the
 * dots outside double quotes and unquoted. Prisma 2 named indexes `Table.field_unique`: a dot inside quotes is part of
 * the name, not a separator.
 */
export function nameParts(name: string): string[] {
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^."]+)/gy;
  let at = 0;
  while (at < name.length) {
    re.lastIndex = at;
    const m = re.exec(name);
    if (!m) return [...parts, name.slice(at)]; // not a name the catalog writes: keep the rest whole
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
    at = re.lastIndex;
    if (name[at] === '.') at++;
  }
  return parts;
}

/** The object's own name, unquoted: `public."Order.user_key"` → `Order.user_key`. */
export function ownPart(name: string): string {
  return nameParts(name).at(-1) ?? name;
}

/** A name as quote_ident (format_type, pg_get_*def) writes it: bare when it can be, else quoted (keywords aside). */
export const asWritten = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
