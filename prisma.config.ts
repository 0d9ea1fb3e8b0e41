// Prisma's config for the demo project. Godwit reads it through Prisma's own loader (@prisma/config).
import { defineConfig } from '@prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'migrations' },
  // Used when godwit.json is absent, and by the Prisma CLI; Godwit's environments live in godwit.json.
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
