import type { TableStructureDto } from '../../shared/dto.ts';
import type { Db } from '../db/db.ts';
import { GodwitError } from '../util/errors.ts';
import { readTableScope } from '../catalog/read-table-scope.ts';
import { tableDdl } from '../catalog/table-slice.ts';
import type { CatalogSnapshot } from '../catalog/types.ts';
import { describeRelations } from './describe-relation.ts';
import { renderDescribe } from './render-describe.ts';
import type { RelationDescription } from './relation-facts.ts';

/** A psql pattern matching exactly this schema and name: inside double quotes nothing is a wildcard. */
export function exactPattern(schema: string, name: string): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `${q(schema)}.${q(name)}`;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Sizes, planner estimates and the SQL-quoted name of one relation. reltuples is -1 before the first ANALYZE
 * (PostgreSQL 14+) or 0 on older servers: then the statistics collector's live-row count stands in.
 */
const FACTS_SQL = `
SELECT format('%I.%I', n.nspname, c.relname) AS qualified,
       CASE WHEN c.reltuples >= 0 AND (c.reltuples > 0 OR c.relpages > 0) THEN c.reltuples::int8 ELSE s.n_live_tup END AS rows,
       CASE WHEN c.relkind IN ('r', 'p', 'm', 't') THEN pg_catalog.pg_total_relation_size(c.oid) END AS total,
       CASE WHEN c.relkind IN ('r', 'p', 'm', 't') THEN pg_catalog.pg_relation_size(c.oid) END AS heap,
       CASE WHEN c.relkind IN ('r', 'p', 'm', 't') THEN pg_catalog.pg_indexes_size(c.oid) END AS indexes,
       CASE WHEN c.reltoastrelid <> 0 THEN pg_catalog.pg_total_relation_size(c.reltoastrelid) END AS toast,
       to_char(greatest(s.last_vacuum, s.last_autovacuum) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS vacuumed,
       to_char(greatest(s.last_analyze, s.last_autoanalyze) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS analyzed,
       (SELECT json_object_agg(ic.relname, pg_catalog.pg_relation_size(ic.oid))::text
          FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid) AS index_sizes
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid
 WHERE n.nspname = $1 AND c.relname = $2`;

const ENABLED = { O: 'enabled', D: 'disabled', R: 'replica', A: 'always' } as const;
const CONSTRAINT_TYPE = { p: 'primary key', u: 'unique', x: 'exclusion' } as const;

/** The parts of a described relation as the structured DTO lists them (no database access: testable on its own). */
export function structureFrom(d: RelationDescription, facts: Row, snapshot: CatalogSnapshot, environment: string): TableStructureDto {
  const qualified = String(facts.qualified);
  const indexSizes = JSON.parse(text(facts.index_sizes) ?? '{}') as Record<string, number>;
  return {
    environment,
    schema: d.schema,
    name: d.name,
    qualified,
    kind: d.kindTitle,
    comment: d.description,
    columns: d.columns.map((c, i) => ({
      position: i + 1, name: c.name, type: c.type, nullable: !c.notNull,
      // describe's Default column folds identity and generation in; the grid shows them in their own columns.
      default: c.identity || c.generated !== null ? null : c.default,
      identity: c.identity, generated: c.generated, collation: c.collation, comment: c.description,
    })),
    indexes: d.indexes.map((x) => ({
      name: x.name,
      definition: x.definition,
      method: x.definition.split(' ')[0] ?? '',
      primary: x.primary,
      unique: x.unique,
      constraint: x.constraintType,
      valid: x.valid,
      partial: / WHERE /.test(x.definition),
      sizeBytes: indexSizes[x.name] ?? null,
    })),
    constraints: [
      ...d.indexes.filter((x) => x.constraintType && x.constraintDefinition).map((x) => ({ name: x.name, type: CONSTRAINT_TYPE[x.constraintType!], definition: x.constraintDefinition! })),
      ...d.checkConstraints.map((c) => ({ name: c.name, type: 'check' as const, definition: c.definition })),
      ...d.foreignKeys.map((f) => ({ name: f.name, type: 'foreign key' as const, definition: f.definition })),
    ],
    foreignKeys: {
      outgoing: d.foreignKeys.map((f) => ({ name: f.name, definition: f.definition, references: /REFERENCES ([^(]+)\(/.exec(f.definition)?.[1] ?? '' })),
      incoming: d.referencedBy.map((f) => ({ name: f.name, table: f.table, definition: f.definition })),
    },
    triggers: d.triggers.filter((t) => !t.internal).map((t) => ({ name: t.name, definition: t.definition, enabled: ENABLED[t.enabled] })),
    policies: d.policies.map((p) => ({ name: p.name, command: p.command, permissive: p.permissive, roles: p.roles, using: p.using, withCheck: p.withCheck })),
    rowSecurity: { enabled: d.rowSecurity, forced: d.forceRowSecurity },
    stats: {
      rowsEstimate: num(facts.rows), totalBytes: num(facts.total), tableBytes: num(facts.heap), indexBytes: num(facts.indexes), toastBytes: num(facts.toast),
      lastVacuum: text(facts.vacuumed), lastAnalyze: text(facts.analyzed),
    },
    ddl: tableDdl(snapshot, qualified),
    psql: renderDescribe(d, false),
    psqlPlus: renderDescribe(d, true),
  };
}

/**
 * `tables/structure`: one table (or view) described for the app's grid — psql's `\d` facts, sizes and estimates, and
 * DDL from the table's part of the catalog snapshot. Four round trips, none growing with the number of tables' parts.
 */
export async function tableStructure(db: Db, environment: string, schema: string, name: string): Promise<TableStructureDto> {
  const notFound = () => new GodwitError('no-relation', `Did not find any relation named "${schema}.${name}".`);
  const [d] = await describeRelations(db, exactPattern(schema, name)).catch((err: unknown) => {
    throw err instanceof GodwitError && err.code === 'no-relation' ? notFound() : err;
  });
  if (!d) throw new GodwitError('no-relation', `Did not find any relation named "${schema}.${name}".`);
  const [facts] = await db.query<Row>(FACTS_SQL, [schema, name]);
  if (!facts) throw notFound();
  const snapshot = await readTableScope(db, String(facts.qualified));
  return structureFrom(d, facts, snapshot, environment);
}
