import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledConfig, loadConfigFast } from './fast-config.ts';
import { loadProject } from './load-project.ts';

let dir: string;
const config = () => join(dir, 'prisma.config.ts');
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'godwit-fast-config-'));
  await mkdir(join(dir, 'db'), { recursive: true });
  await writeFile(join(dir, 'db', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n}\n');
});
afterEach(async () => {
  delete process.env.GODWIT_FAST_CONFIG_URL;
  await rm(dir, { recursive: true, force: true });
});

describe('loading prisma.config.ts without @prisma/config', () => {
  it('serves defineConfig, env, type imports, dotenv/config and local imports through the shim', async () => {
    process.env.GODWIT_FAST_CONFIG_URL = 'postgresql://app@127.0.0.1:5432/fast';
    await writeFile(join(dir, 'paths.ts'), "export const schema: string = 'db/schema.prisma';\n");
    await writeFile(config(), [
      "import 'dotenv/config';",
      "import path from 'node:path';",
      "import { defineConfig, env, type PrismaConfig } from 'prisma/config';",
      "import { schema } from './paths';",
      'const c: PrismaConfig = {',
      '  schema,',
      "  migrations: { path: path.join(__dirname, 'db', 'migrations') },",
      "  datasource: { url: env('GODWIT_FAST_CONFIG_URL') },",
      '};',
      'export default defineConfig(c);',
    ].join('\n'));
    expect(await loadConfigFast(config())).toEqual({
      schema: 'db/schema.prisma',
      migrations: { path: join(dir, 'db', 'migrations') },
      datasource: { url: 'postgresql://app@127.0.0.1:5432/fast' },
    });
    const project = await loadProject(dir);
    expect(project.migrationsDir).toBe(join(dir, 'db', 'migrations'));
    expect(project.environments[0]?.url).toBe('postgresql://app@127.0.0.1:5432/fast');
  });

  it('recompiles when the config or a file it imports changes, and reads the environment on every load', async () => {
    await writeFile(join(dir, 'paths.ts'), "export const migrations = 'one';\n");
    await writeFile(config(), "import { defineConfig } from '@prisma/config';\nimport { migrations } from './paths';\nexport default defineConfig({ migrations: { path: migrations }, datasource: { url: process.env.GODWIT_FAST_CONFIG_URL } });\n");
    process.env.GODWIT_FAST_CONFIG_URL = 'postgresql://a@h/one';
    expect(await loadConfigFast(config())).toMatchObject({ migrations: { path: 'one' }, datasource: { url: 'postgresql://a@h/one' } });
    process.env.GODWIT_FAST_CONFIG_URL = 'postgresql://a@h/two';
    expect(await loadConfigFast(config())).toMatchObject({ migrations: { path: 'one' }, datasource: { url: 'postgresql://a@h/two' } });
    // Same size, later mtime: a cache keyed by the config alone would miss this.
    await writeFile(join(dir, 'paths.ts'), "export const migrations = 'two';\n");
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'paths.ts'), later, later);
    expect(await loadConfigFast(config())).toMatchObject({ migrations: { path: 'two' } });
    await writeFile(config(), "import { defineConfig } from '@prisma/config';\nexport default defineConfig({ migrations: { path: 'three' } });\n");
    expect(await loadConfigFast(config())).toEqual({ migrations: { path: 'three' } });
  });

  it("reports an unset env() variable with Prisma's message", async () => {
    await writeFile(config(), "import { defineConfig, env } from 'prisma/config';\nexport default defineConfig({ schema: 'db/schema.prisma', datasource: { url: env('GODWIT_FAST_CONFIG_UNSET') } });\n");
    await expect(loadProject(dir)).rejects.toThrow(
      `Cannot load ${config()} (ConfigLoadError): Cannot resolve environment variable: GODWIT_FAST_CONFIG_UNSET.`,
    );
    // A command given --url uses none of the config's URLs: it loads, without them (formbricks).
    const project = await loadProject(dir, { allowUnsetEnv: true });
    expect(project.schemaPath).toBe(join(dir, 'db', 'schema.prisma'));
    expect(project.environments).toEqual([]);
    // …and the next load without it still refuses.
    await expect(loadProject(dir)).rejects.toThrow('Cannot resolve environment variable: GODWIT_FAST_CONFIG_UNSET.');
    // With godwit.json the environments are its own, and the config's URL is not read (hoppscotch).
    await writeFile(join(dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: 'postgresql://localhost/dev' } } }));
    const configured = await loadProject(dir);
    expect(configured.environments.map((e) => e.name)).toEqual(['dev']);
  });

  it("falls back to Prisma's loader for an export the shim lacks, with the same result", async () => {
    await writeFile(config(), [
      "import { defineConfig, defaultConfig } from '@prisma/config';",
      "export default defineConfig({ schema: 'db/schema.prisma', migrations: { path: typeof defaultConfig === 'function' ? 'db/real' : 'db/shim' } });",
    ].join('\n'));
    expect(await loadConfigFast(config())).toBeNull();
    const project = await loadProject(dir);
    expect(project.migrationsDir).toBe(join(dir, 'db', 'real'));
    expect(project.schemaPath).toBe(join(dir, 'db', 'schema.prisma'));
  });

  it("leaves a config Prisma would reject to Prisma's loader, so the error is Prisma's", async () => {
    await writeFile(config(), "import { defineConfig } from '@prisma/config';\nexport default defineConfig({ schema: 'db/schema.prisma', tables: { external: ['audit'] } });\n");
    expect(await loadConfigFast(config())).toBeNull();
    await expect(loadProject(dir)).rejects.toThrow(/\(ConfigLoadError\): The `tables.external` configuration requires `experimental.externalTables`/);
  });

  it('serves experimental external tables as Prisma does', async () => {
    await writeFile(config(), "import { defineConfig } from '@prisma/config';\nexport default defineConfig({ schema: 'db/schema.prisma', experimental: { externalTables: true }, tables: { external: ['public.audit'] }, migrations: { initShadowDb: 'CREATE TABLE audit ();' } });\n");
    expect(await loadConfigFast(config())).not.toBeNull();
    const project = await loadProject(dir);
    expect(project.externalTables).toEqual(['public.audit']);
    expect(project.shadowDbInitScript).toBe('CREATE TABLE audit ();');
  });

  it('compiles to CommonJS when it can, and to an ES module for top-level await or a package that is only one', async () => {
    // CommonJS: no ES module loader started on every command (~6 ms); dotenv is CommonJS.
    await writeFile(config(), "import 'dotenv/config';\nimport { defineConfig } from 'prisma/config';\nexport default defineConfig({ migrations: { path: 'db/cjs' } });\n");
    expect(await compiledConfig(config())).toMatch(/\.cjs$/);
    expect(await loadConfigFast(config())).toEqual({ migrations: { path: 'db/cjs' } });
    // A package Node can load only as an ES module (its own "type": "module").
    await mkdir(join(dir, 'node_modules', 'esm-only'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'esm-only', 'package.json'), JSON.stringify({ name: 'esm-only', type: 'module', exports: './index.js' }));
    await writeFile(join(dir, 'node_modules', 'esm-only', 'index.js'), "export const where = 'db/esm';\n");
    await writeFile(config(), "import { defineConfig } from 'prisma/config';\nimport { where } from 'esm-only';\nexport default defineConfig({ migrations: { path: where } });\n");
    expect(await compiledConfig(config())).toMatch(/\.mjs$/);
    expect(await loadConfigFast(config())).toEqual({ migrations: { path: 'db/esm' } });
    // Top-level await, which CommonJS cannot hold.
    await writeFile(config(), "import { defineConfig } from 'prisma/config';\nconst where = await Promise.resolve('db/tla');\nexport default defineConfig({ migrations: { path: where } });\n");
    expect(await compiledConfig(config())).toMatch(/\.mjs$/);
    expect(await loadConfigFast(config())).toEqual({ migrations: { path: 'db/tla' } });
    // A CommonJS config, and one that reads the environment again on each load.
    await writeFile(config(), "const { defineConfig } = require('prisma/config');\nmodule.exports = defineConfig({ datasource: { url: process.env.GODWIT_FAST_CONFIG_URL } });\n");
    expect(await compiledConfig(config())).toMatch(/\.cjs$/);
    process.env.GODWIT_FAST_CONFIG_URL = 'postgresql://a@h/cjs1';
    expect(await loadConfigFast(config())).toEqual({ datasource: { url: 'postgresql://a@h/cjs1' } });
    process.env.GODWIT_FAST_CONFIG_URL = 'postgresql://a@h/cjs2';
    expect(await loadConfigFast(config())).toEqual({ datasource: { url: 'postgresql://a@h/cjs2' } });
  });

  it('serves a config shaped like real Prisma 7 projects: dotenv, its own __dirname from import.meta.url, a conditional spread', async () => {
    process.env.GODWIT_FAST_CONFIG_URL = 'postgresql://app@127.0.0.1:5432/shaped';
    delete process.env.GODWIT_FAST_CONFIG_SHADOW;
    await writeFile(config(), [
      "import { config } from 'dotenv';",
      "import path from 'node:path';",
      "import { fileURLToPath } from 'node:url';",
      "import { defineConfig, env } from 'prisma/config';",
      'const __dirname = path.dirname(fileURLToPath(import.meta.url));',
      'config({ quiet: true });',
      "config({ path: path.resolve(__dirname, '../../.env'), quiet: true });",
      'export default defineConfig({',
      "  schema: './db',",
      "  migrations: { path: path.join(__dirname, '.prisma-migrations') },",
      '  datasource: {',
      "    url: env('GODWIT_FAST_CONFIG_URL'),",
      "    ...(process.env.GODWIT_FAST_CONFIG_SHADOW && { shadowDatabaseUrl: env('GODWIT_FAST_CONFIG_SHADOW') }),",
      '  },',
      '});',
    ].join('\n'));
    expect(await compiledConfig(config())).toMatch(/\.cjs$/);
    expect(await loadConfigFast(config())).toEqual({
      schema: './db',
      migrations: { path: join(dir, '.prisma-migrations') },
      datasource: { url: 'postgresql://app@127.0.0.1:5432/shaped' },
    });
    process.env.GODWIT_FAST_CONFIG_SHADOW = 'postgresql://app@127.0.0.1:5432/shadow';
    try {
      expect((await loadConfigFast(config()))?.datasource).toEqual({ url: 'postgresql://app@127.0.0.1:5432/shaped', shadowDatabaseUrl: 'postgresql://app@127.0.0.1:5432/shadow' });
    } finally {
      delete process.env.GODWIT_FAST_CONFIG_SHADOW;
    }
  });

  it('finds the config where Prisma 7 looks for it: .config/prisma.ts, with paths from its own folder, before any DATABASE_URL', async () => {
    process.env.GODWIT_FAST_CONFIG_URL = 'postgresql://app@127.0.0.1:5432/direct';
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgresql://app@127.0.0.1:5432/not-this-one';
    try {
      await mkdir(join(dir, '.config'));
      await writeFile(join(dir, '.config', 'prisma.ts'), [
        "import { defineConfig } from 'prisma/config';",
        "import { join } from 'node:path';",
        'export default defineConfig({',
        "  datasource: { url: process.env.GODWIT_FAST_CONFIG_URL ?? process.env.DATABASE_URL },",
        "  migrations: { path: join(__dirname, '..', 'db', 'migrations') },",
        "  schema: join(__dirname, '..', 'db', 'schema.prisma'),",
        '});',
      ].join('\n'));
      const project = await loadProject(dir);
      expect(project.configPath).toBe(join(dir, '.config', 'prisma.ts'));
      expect(project.schemaPath).toBe(join(dir, 'db', 'schema.prisma'));
      expect(project.migrationsDir).toBe(join(dir, 'db', 'migrations'));
      expect(project.environments.map((e) => e.url)).toEqual(['postgresql://app@127.0.0.1:5432/direct']);
      // prisma.config.ts beside it wins, as in Prisma's order.
      await writeFile(config(), "import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: './db' });\n");
      expect((await loadProject(dir)).configPath).toBe(config());
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
