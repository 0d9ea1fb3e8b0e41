import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Packages a Prisma config commonly imports, as Godwit's own copies: `@prisma/config`, `prisma/config`, `dotenv`. */
function godwitModules(): Record<string, string> {
  // Made here, not when the module loads: only a config Prisma's own loader runs gets this far (~0.5 ms otherwise).
  const godwitRequire = createRequire(import.meta.url);
  const prismaConfig = dirname(godwitRequire.resolve('@prisma/config/package.json'));
  return { '@prisma/config': prismaConfig, 'prisma/config': prismaConfig, dotenv: dirname(godwitRequire.resolve('dotenv/package.json')) };
}

/**
 * Runs Prisma's config loader so that a config importing `@prisma/config` loads from a folder without node_modules
 * of its own: each package the project cannot resolve is aliased to Godwit's copy, through jiti's JITI_ALIAS (the
 * loader takes no alias option). A project that has the package keeps its own.
 */
export async function withGodwitModules<T>(dir: string, load: () => Promise<T>): Promise<T> {
  const projectRequire = createRequire(join(dir, 'prisma.config.js'));
  const missing = Object.entries(godwitModules()).filter(([name]) => {
    try {
      projectRequire.resolve(name === 'dotenv' ? 'dotenv/config' : name);
      return false;
    } catch {
      return true;
    }
  });
  if (!missing.length) return load();
  if (aliasLoads++ === 0) originalAlias = process.env.JITI_ALIAS;
  process.env.JITI_ALIAS = JSON.stringify({ ...Object.fromEntries(missing), ...parseAliases(process.env.JITI_ALIAS) });
  try {
    return await load();
  } finally {
    // Loads may overlap (the app opening two projects): the variable is restored when the last one ends.
    if (--aliasLoads === 0) {
      if (originalAlias === undefined) delete process.env.JITI_ALIAS;
      else process.env.JITI_ALIAS = originalAlias;
    }
  }
}

let aliasLoads = 0;
let originalAlias: string | undefined;

function parseAliases(json: string | undefined): Record<string, string> {
  try {
    return json ? (JSON.parse(json) as Record<string, string>) : {};
  } catch {
    return {};
  }
}
