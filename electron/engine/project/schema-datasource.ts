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
  return withKnownPreviewFeatures(content.replace(BLOCK, (_all, open: string, body: string, close: string) => open + body.replace(PROPERTY, '') + close));
}

/**
 * The preview features the pinned schema engine (Prisma 7.10) accepts; it refuses any other ("metrics",
 * "driverAdapters", "multiSchema" … that Prisma 6 projects still list, now removed or generally available).
 * Update with the Prisma packages: the engine's refusal lists them.
 */
const KNOWN_PREVIEW_FEATURES = new Set([
  'fullTextSearchPostgres', 'nativeDistinct', 'partialIndexes', 'postgresqlExtensions', 'relationJoins',
  'schemaEngineDriverAdapters', 'shardKeys', 'strictUndefinedChecks', 'typedSql', 'views',
]);
const GENERATOR = /(generator\s+\w+\s*\{)([^}]*)(\})/g;
const PREVIEW = /(previewFeatures[ \t]*=[ \t]*\[)([^\]]*)(\])/;

/** Generator blocks keep only the preview features the engine knows (the user's file is not touched). */
function withKnownPreviewFeatures(content: string): string {
  return content.replace(GENERATOR, (_all, open: string, body: string, close: string) =>
    open + body.replace(PREVIEW, (_p, start: string, list: string, end: string) => {
      const kept = [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1]!).filter((f) => KNOWN_PREVIEW_FEATURES.has(f));
      // Same number of lines: a multi-line list keeps its line breaks.
      const breaks = '\n'.repeat((list.match(/\n/g) ?? []).length);
      return `${start}${kept.map((f) => `"${f}"`).join(', ')}${breaks}${end}`;
    }) + close);
}
