import type { MigrationList, SchemaFilter, SchemasContainer } from '@prisma/schema-engine-wasm';
import { withWrappedEngineAdapter, type Db } from '../db/db.ts';
import type { SchemaEngine } from '../schema-engine/engine-session.ts';

export interface DataLoss {
  warnings: { message: string }[];
  unexecutableSteps: { message: string }[];
}

export const DATA_LOSS_SKIPPED: DataLoss = {
  warnings: [{ message: "Prisma's data-loss check was skipped: this environment's database is not at the head of the migration history, so there is no data to weigh." }],
  unexecutableSteps: [],
};

/** What the engine's data-loss check and createMigration take: the history, schema.prisma and the filters. */
type CheckInput = { migrationsList: MigrationList; schema: SchemasContainer; filters: SchemaFilter };

/** Queries of Prisma's own history read (`SELECT … FROM "_prisma_migrations"`), let through while the describe is refused. */
const HISTORY_READ = /"?_prisma_migrations"?/;

/**
 * Prisma's data-loss check (evaluateDataLoss) of the migration `new` generates, on `db` as the engine sees it.
 *
 * The wasm engine's evaluateDataLoss cannot replay the history itself: it reads the history's schema from the
 * engine's cache, which only diagnoseMigrationHistory fills (with the migrations the database has applied, so only a
 * database at the head of the history gets the check). Godwit uses nothing else diagnoseMigrationHistory returns, yet
 * after caching that schema it describes the whole live database (its drift check) and replays the history once more
 * to validate it: ~40% of `new` for 1,000 migrations. While it runs, the live database refuses every query but the
 * history read, so Prisma's drift check stops at once (the failure is its own answer, which nobody reads) after the
 * schema is cached. Should a Prisma version not cache it that way, the check runs again in full before the answer
 * "skipped" is given: the refusal can cost time, never change the answer.
 */
export function dataLossCheck(db: Db): { db: Db; evaluate(engine: SchemaEngine, input: CheckInput, atHead: boolean): Promise<DataLoss> } {
  let refusing = false;
  const wrapped = withWrappedEngineAdapter(db, (factory) => {
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      const queryRaw = adapter.queryRaw.bind(adapter);
      adapter.queryRaw = (query) => (refusing && !HISTORY_READ.test(query.sql) ? Promise.reject(new Error('Godwit: the live schema is not described for this check.')) : queryRaw(query));
      return adapter;
    };
    return factory;
  });
  const check = async (engine: SchemaEngine, { migrationsList, schema, filters }: CheckInput, refuse: boolean): Promise<DataLoss> => {
    refusing = refuse;
    try {
      await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: true, filters });
    } finally {
      refusing = false;
    }
    return engine.evaluateDataLoss({ migrationsList, schema, filters });
  };
  return {
    db: wrapped,
    async evaluate(engine, input, atHead) {
      try {
        return await check(engine, input, true);
      } catch {
        // Behind the head (as Godwit read the history), the full check fails the same way: nothing to weigh.
        if (!atHead) return DATA_LOSS_SKIPPED;
      }
      try {
        return await check(engine, input, false);
      } catch {
        return DATA_LOSS_SKIPPED;
      }
    },
  };
}

/** A generator asking for preview features: they may change how a migration is computed, and `diff` reads them itself. */
const PREVIEW_FEATURES = /^[ \t]*previewFeatures[ \t]*=[ \t]*\[[^\]]*"/m;

/**
 * The up script of `new` from the history's schema the data-loss check left in the engine's cache, or null: Prisma's
 * createMigration diffs that schema against schema.prisma and renders the script as `diff` does, sparing a second
 * description of the shadow and one of the two parses of schema.prisma a `diff` makes (~0.2 s on 1,000 migrations).
 * Only when that is the very script `diff` prints: createMigration heads the script with its own data-loss warnings
 * (`/* Warnings: …`), and reads no preview features from the schema, so then, or when the schema is not cached (the
 * check skipped, a Prisma that caches otherwise), the caller asks `diff`.
 */
export async function upScriptFromCheckedHistory(engine: SchemaEngine, input: CheckInput): Promise<string | null> {
  if (input.schema.files.some((f) => PREVIEW_FEATURES.test(f.content))) return null;
  const created = await engine.createMigration({ draft: true, migrationName: 'godwit', ...input }).catch(() => null);
  const script = created?.migrationScript;
  return script && script.startsWith('--') ? script : null;
}
