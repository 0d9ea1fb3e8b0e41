/**
 * Prisma 6 schemas keep connection urls in the datasource block (`url`, `directUrl`, `shadowDatabaseUrl`, usually as
 * `env("VAR")`). Prisma 7's schema engine refuses them, so Godwit reads them as environment settings and hands the
 * engine the schema without them.
 */
export interface SchemaUrls {
  /** Each as an environment config url: `env:VAR` or the literal. */
  url?: string;
  directUrl?: string;
  shadowDatabaseUrl?: string;
}

const BLOCK = /(datasource\s+\w+\s*\{)([^}]*)(\})/g;
const PROPERTY = /^[ \t]*(url|directUrl|shadowDatabaseUrl)[ \t]*=[ \t]*(?:env\([ \t]*"([^"]+)"[ \t]*\)|"([^"]*)")[ \t]*(?:\/\/[^\n]*)?$/gm;

/** The connection urls of the schema's datasource block(s). */
export function schemaUrls(contents: string[]): SchemaUrls {
  const urls: SchemaUrls = {};
  for (const content of contents) {
    for (const [, , body] of content.matchAll(BLOCK)) {
      for (const [, key, variable, literal] of body!.matchAll(PROPERTY)) {
        urls[key as keyof SchemaUrls] ??= variable !== undefined ? `env:${variable}` : literal!;
      }
    }
  }
  return urls;
}

/** The schema without those properties; each becomes an empty line, so the engine's line numbers still match. */
export function withoutSchemaUrls(content: string): string {
  return content.replace(BLOCK, (_all, open: string, body: string, close: string) => open + body.replace(PROPERTY, '') + close);
}
