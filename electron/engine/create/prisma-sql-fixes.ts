/**
 * Mends what Prisma's differ writes that PostgreSQL refuses. Prisma gives a re-created hash (or GIN, GiST, SP-GiST,
 * BRIN) index an `ASC` per column — `CREATE INDEX … USING HASH ("key" ASC)` — and PostgreSQL answers "access method
 * does not support ASC/DESC options"; seen in trigger.dev's history. Only those methods' column lists are touched.
 */
export function mendPrismaSql(sql: string): string {
  return sql.replace(/(USING\s+(?:HASH|GIN|GIST|SPGIST|BRIN)\s*\()([^;]*?)(\)\s*(?:WHERE\b[^;]*)?;)/gi, (_m, head: string, cols: string, tail: string) =>
    head + cols.replace(/("(?:[^"]|"")*")|\s+(?:ASC|DESC)\b/gi, (q: string | undefined, quoted: string | undefined) => quoted ?? '') + tail);
}
