import { describe, expect, it } from 'vitest';
import { schemaUrls, withoutSchemaUrls } from './schema-datasource.ts';

const PRISMA6 = `datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
  directUrl = env("DIRECT_URL")
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["metrics", "views",
                     "driverAdapters", "postgresqlExtensions"]
}
`;

describe('a Prisma 6 schema handed to the Prisma 7 engine', () => {
  it('loses its urls and the preview features the engine refuses, and keeps its line count', () => {
    expect(schemaUrls([PRISMA6])).toEqual({ url: 'env:DATABASE_URL', directUrl: 'env:DIRECT_URL' });
    const forEngine = withoutSchemaUrls(PRISMA6);
    expect(forEngine).not.toMatch(/url|metrics|driverAdapters/i);
    expect(forEngine).toContain('previewFeatures = ["views", "postgresqlExtensions"\n]');
    expect(forEngine.split('\n')).toHaveLength(PRISMA6.split('\n').length);
  });
});
