import type { Db } from '../db/db.ts';
import { GodwitError } from '../util/errors.ts';
import { patternCondition } from './name-pattern.ts';
import { DESCRIBE_SECTIONS, describeBatchSql, type DescribeSection } from './describe-queries.ts';
import type { ColumnFacts, RelationDescription, RuleFacts, TriggerFacts } from './relation-facts.ts';

type Row = Record<string, unknown>;

const STORAGE: Record<string, ColumnFacts['storage']> = { p: 'plain', m: 'main', x: 'extended', e: 'external' };
const COMPRESSION: Record<string, string> = { p: 'pglz', l: 'lz4' };

function kindTitle(relkind: string, persistence: string): string {
  const unlogged = persistence === 'u';
  switch (relkind) {
    case 'r': return unlogged ? 'Unlogged table' : 'Table';
    case 'v': return 'View';
    case 'm': return unlogged ? 'Unlogged materialized view' : 'Materialized view';
    case 'S': return unlogged ? 'Unlogged sequence' : 'Sequence';
    case 'i': return unlogged ? 'Unlogged index' : 'Index';
    case 'I': return unlogged ? 'Unlogged partitioned index' : 'Partitioned index';
    case 'p': return unlogged ? 'Unlogged partitioned table' : 'Partitioned table';
    case 't': return 'TOAST table';
    case 'c': return 'Composite type';
    case 'f': return 'Foreign table';
    default: return `?${relkind}?`;
  }
}

function groupBy(rows: Row[]): Map<number, Row[]> {
  const map = new Map<number, Row[]>();
  for (const row of rows) {
    const id = Number(row.relid);
    const list = map.get(id) ?? [];
    list.push(row);
    map.set(id, list);
  }
  return map;
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function column(r: Row, foreign: boolean): ColumnFacts {
  const identity = r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : null;
  const generated = r.generated === 's' ? str(r.defexpr) : null;
  const shownDefault = identity ? `generated ${identity} as identity` : generated !== null ? `generated always as (${generated}) stored` : str(r.defexpr);
  return {
    name: String(r.attname),
    type: String(r.type),
    collation: str(r.collation),
    notNull: r.notnull === true,
    default: shownDefault,
    identity,
    generated,
    storage: STORAGE[String(r.storage)] ?? null,
    compression: COMPRESSION[String(r.compression)] ?? null,
    statsTarget: r.stattarget === null ? null : Number(r.stattarget),
    description: str(r.description),
    ...(foreign ? { fdwOptions: String(r.fdwoptions ?? '') } : {}),
    ...(r.indexdef !== null ? { key: r.iskey === true, definition: String(r.indexdef) } : {}),
  };
}

/**
 * Relations matching a psql pattern, in psql's order (schema, name); visible ones only when no schema is given. The
 * server's version comes along, so the batch can pick its queries without a round trip of its own.
 */
async function findRelations(db: Db, pattern: string): Promise<FoundRelation[]> {
  const params: unknown[] = [];
  const where = patternCondition(pattern, 'n.nspname', 'c.relname', 'pg_catalog.pg_table_is_visible(c.oid)', params);
  return db.query(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, pg_catalog.current_setting('server_version_num')::int AS version,
            c.relkind::text AS relkind, c.relhasindex AS hasindex, c.relhastriggers AS hastriggers, c.relhasrules AS hasrules,
            c.relhassubclass AS hassubclass, c.relchecks AS checks,
            c.reltablespace <> 0 OR EXISTS (SELECT 1 FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
                                             WHERE x.indrelid = c.oid AND ic.reltablespace <> 0) AS tablespaces
       FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE ${where} ORDER BY 2, 3`,
    params,
  ).then((rows) => (rows as Row[]).map((r) => ({
    oid: Number(r.oid), schema: String(r.schema), name: String(r.name), version: Number(r.version), relkind: String(r.relkind),
    hasIndex: r.hasindex === true, hasTriggers: r.hastriggers === true, hasRules: r.hasrules === true, hasSubclass: r.hassubclass === true,
    hasChecks: Number(r.checks) > 0, hasTablespaces: r.tablespaces === true,
  })));
}

interface FoundRelation {
  oid: number;
  schema: string;
  name: string;
  version: number;
  relkind: string;
  hasIndex: boolean;
  hasTriggers: boolean;
  hasRules: boolean;
  hasSubclass: boolean;
  hasChecks: boolean;
  /** It or one of its indexes is in a tablespace of its own. */
  hasTablespaces: boolean;
}

/**
 * The batch's sections that can hold rows for one of `found`, from pg_class's flags and counts (psql asks for check
 * constraints, triggers and rules on the same): a flag may be set with nothing left to find, never unset with something there.
 */
function sectionsFor(found: FoundRelation[]): (section: DescribeSection) => boolean {
  const any = (p: (f: FoundRelation) => boolean) => found.some(p);
  const only: Partial<Record<DescribeSection, boolean>> = {
    idx: any((f) => f.hasIndex || f.relkind === 'p'),
    trigs: any((f) => f.hasTriggers || f.relkind === 'p'),
    children: any((f) => f.hasSubclass || f.relkind === 'p' || f.relkind === 'I'),
    rules: any((f) => f.hasRules),
    checks: any((f) => f.hasChecks),
    seqs: any((f) => f.relkind === 'S'),
    idxOwner: any((f) => f.relkind === 'i' || f.relkind === 'I'),
    foreign: any((f) => f.relkind === 'f'),
  };
  return (section) => only[section] ?? true;
}

/**
 * `\d PATTERN`: every relation the pattern matches, described. Two round trips whatever the number of columns,
 * indexes or relations. Throws psql's "Did not find any relation named …" when nothing matches. `descriptions: false`
 * leaves the comments on the relation and its columns out (null), for a caller that shows none.
 */
export async function describeRelations(db: Db, pattern: string, options: { descriptions?: boolean } = {}): Promise<RelationDescription[]> {
  const found = await findRelations(db, pattern);
  if (found.length === 0) throw new GodwitError('no-relation', `Did not find any relation named "${pattern}".`);
  const wanted = sectionsFor(found);
  const results = await db.queryBatch(describeBatchSql(found.map((f) => f.oid), found[0]!.version, wanted, found.some((f) => f.hasTablespaces), options.descriptions !== false));
  // The result sets in section order; a section not asked for has no rows.
  let next = 0;
  const bySection = DESCRIBE_SECTIONS.map((section) => (wanted(section) ? results[next++] : []));
  const [main = [], cols = [], idx = [], checks = [], fks = [], refs = [], pols = [], trigs = [], parents = [], children = [], seqs = [], idxOwner = [], stats = [], rules = [], pubs = [], foreign = []] = bySection;
  const g = {
    main: groupBy(main), cols: groupBy(cols), idx: groupBy(idx), checks: groupBy(checks), fks: groupBy(fks), refs: groupBy(refs), pols: groupBy(pols),
    trigs: groupBy(trigs), parents: groupBy(parents), children: groupBy(children), seqs: groupBy(seqs), idxOwner: groupBy(idxOwner),
    stats: groupBy(stats), rules: groupBy(rules), pubs: groupBy(pubs), foreign: groupBy(foreign),
  };
  return found.flatMap(({ oid, schema, name }) => {
    const m = g.main.get(oid)?.[0];
    if (!m) return []; // dropped between the two queries
    const relkind = String(m.relkind);
    const persistence = m.persistence === 'u' ? 'unlogged' : m.persistence === 't' ? 'temporary' : 'permanent';
    const parentRows = g.parents.get(oid) ?? [];
    const partitionParent = m.ispartition === true ? parentRows[0] : undefined;
    const seq = g.seqs.get(oid)?.[0];
    const io = g.idxOwner.get(oid)?.[0];
    const ft = g.foreign.get(oid)?.[0];
    return [{
      schema,
      name,
      relkind,
      kindTitle: kindTitle(relkind, String(m.persistence)),
      persistence,
      columns: (g.cols.get(oid) ?? []).map((r) => column(r, relkind === 'f')),
      indexes: (g.idx.get(oid) ?? []).map((r) => ({
        name: String(r.name),
        primary: r.isprimary === true,
        unique: r.isunique === true,
        constraintType: (str(r.contype) as 'p' | 'u' | 'x' | null),
        definition: String(r.indexdef).replace(/^.*? USING /, ''),
        constraintDefinition: str(r.condef),
        deferrable: r.deferrable === true,
        deferred: r.deferred === true,
        valid: r.isvalid === true,
        clustered: r.isclustered === true,
        replicaIdentity: r.isreplident === true,
        tablespace: str(r.tablespace),
      })),
      checkConstraints: (g.checks.get(oid) ?? []).map((r) => ({ name: String(r.name), definition: String(r.definition) })),
      foreignKeys: (g.fks.get(oid) ?? []).map((r) => ({ name: String(r.name), definition: String(r.definition), table: String(r.ontable), sameTable: r.sametable === true })),
      referencedBy: (g.refs.get(oid) ?? []).map((r) => ({ name: String(r.name), definition: String(r.definition), table: String(r.ontable), sameTable: false })),
      rowSecurity: m.rowsecurity === true,
      forceRowSecurity: m.forcerowsecurity === true,
      policies: (g.pols.get(oid) ?? []).map((r) => ({ name: String(r.name), permissive: r.permissive === true, roles: str(r.roles), using: str(r.qual), withCheck: str(r.withcheck), command: str(r.cmd) })),
      statistics: (g.stats.get(oid) ?? []).map((r) => ({
        name: `${String(r.nsp)}.${String(r.name)}`,
        table: String(r.tablename),
        columns: String(r.columns),
        ndistinct: r.ndistinct === true,
        dependencies: r.dependencies === true,
        mcv: r.mcv === true,
        // -1 up to PostgreSQL 16, NULL from 17: the default either way.
        statsTarget: r.stattarget === null || Number(r.stattarget) === -1 ? null : Number(r.stattarget),
      })),
      rules: (g.rules.get(oid) ?? []).map((r): RuleFacts => ({
        name: String(r.name),
        definition: String(r.definition).replace(/^CREATE RULE /, ''),
        enabled: String(r.enabled) as RuleFacts['enabled'],
      })),
      publications: (g.pubs.get(oid) ?? []).map((r) => ({ name: String(r.name), columns: str(r.columns), rowFilter: str(r.rowfilter) })),
      triggers: (g.trigs.get(oid) ?? []).map((r): TriggerFacts => ({
        name: String(r.name),
        definition: String(r.definition).replace(/^CREATE (CONSTRAINT )?TRIGGER /, ''),
        enabled: String(r.enabled) as TriggerFacts['enabled'],
        internal: r.internal === true,
        parent: str(r.parent),
      })),
      partitionKey: str(m.partkey),
      partitionOf: partitionParent ? { parent: String(partitionParent.name), bound: str(m.partbound) ?? '', detachPending: partitionParent.detachpending === true } : null,
      partitionConstraint: str(m.partconstraint),
      partitions: (g.children.get(oid) ?? []).map((r) => ({ name: String(r.name), bound: str(r.bound) ?? '', relkind: String(r.relkind), detachPending: r.detachpending === true })),
      inherits: parentRows.filter((r) => r.relkind !== 'p' && r.relkind !== 'I').map((r) => String(r.name)),
      viewDefinition: str(m.viewdef),
      accessMethod: str(m.accessmethod),
      options: str(m.options) || null,
      tablespace: str(m.tablespace),
      typedTableOf: str(m.typedtableof),
      replicaIdentity: String(m.replident),
      description: str(m.description),
      sequence: seq
        ? { type: String(seq.type), start: String(seq.start), minimum: String(seq.minimum), maximum: String(seq.maximum), increment: String(seq.increment), cycles: seq.cycles === true, cache: String(seq.cache), ownedBy: str(seq.ownedby), identity: seq.isidentity === true }
        : null,
      index: io
        ? { table: String(io.tablename), method: String(io.method), primary: io.isprimary === true, unique: io.isunique === true, nullsNotDistinct: io.nullsnotdistinct === true, predicate: str(io.predicate), deferrable: io.deferrable === true, deferred: io.deferred === true, valid: io.isvalid === true, clustered: io.isclustered === true, replicaIdentity: io.isreplident === true }
        : null,
      owningTable: str(m.owningtable),
      foreignTable: ft ? { server: String(ft.server), options: String(ft.options ?? '') } : null,
    }];
  });
}
