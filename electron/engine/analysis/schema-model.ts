import type { TypeRef } from './parse-tree.ts';
import type { RelationStats } from './types.ts';

export type RelationKind = 'table' | 'partitioned' | 'index' | 'view' | 'matview' | 'sequence' | 'other';

export interface ConstraintFacts {
  /** pg_constraint.contype: f foreign key, c check, u unique, p primary key, x exclusion, n not null. */
  type: string;
  /** The referenced table of a foreign key. */
  references?: string | undefined;
  /** The constrained columns (conkey) and, for a foreign key, the referenced ones (confkey; empty: the primary key). */
  columns?: string[] | undefined;
  refColumns?: string[] | undefined;
  /** For `CHECK (col IS NOT NULL)`: the column it proves non-null. */
  notNullColumn?: string | undefined;
  validated: boolean;
}

/** What is known of one relation: from the environment's catalog, then updated by each statement of the plan. */
export interface RelationFacts {
  kind: RelationKind;
  columns: Map<string, TypeRef>;
  constraints: Map<string, ConstraintFacts>;
  /** For an index: its table. */
  table?: string | undefined;
  /** For a partitioned table: its DEFAULT partition, which ATTACH/DETACH also lock. */
  defaultPartition?: string | undefined;
  stats?: RelationStats | undefined;
  createdByPlan: boolean;
}

const emptyFacts = (kind: RelationKind, createdByPlan: boolean): RelationFacts => ({ kind, columns: new Map(), constraints: new Map(), createdByPlan });

/**
 * The schema as the statements will find it. Seeded from the environment's catalog (when read), then replayed
 * statement by statement, so that `ALTER COLUMN TYPE` knows the old type of a column created two migrations
 * earlier and `DROP INDEX` knows the index's table.
 */
export class SchemaModel {
  private readonly relations = new Map<string, RelationFacts>();
  /** Function name → pg_proc.provolatile ('i', 's', 'v') as the environment knows it. */
  readonly volatility = new Map<string, string>();

  /** Unqualified and `public.` names meet: Prisma projects name tables both ways. */
  private key(name: string): string {
    return name.startsWith('public.') ? name.slice(7) : name;
  }

  get(name: string | undefined): RelationFacts | undefined {
    return name === undefined ? undefined : this.relations.get(this.key(name));
  }

  set(name: string, facts: RelationFacts): void {
    this.relations.set(this.key(name), facts);
  }

  /** A relation the plan itself creates (a table, an index, a view…). */
  create(name: string, kind: RelationKind): RelationFacts {
    const facts = emptyFacts(kind, true);
    facts.stats = { rows: 0, sizeBytes: 0, seqScan: 0, idxScan: 0, inserts: 0, updates: 0, deletes: 0, opsPerSecond: 0 };
    this.set(name, facts);
    return facts;
  }

  /** Facts of a relation, created empty (not from the plan) when nothing was known of it. */
  touch(name: string, kind: RelationKind = 'table'): RelationFacts {
    const existing = this.get(name);
    if (existing) return existing;
    const facts = emptyFacts(kind, false);
    this.set(name, facts);
    return facts;
  }

  drop(name: string): void {
    this.relations.delete(this.key(name));
  }

  rename(from: string, to: string): void {
    const facts = this.get(from);
    if (!facts) return;
    this.drop(from);
    // A rename keeps the schema: `ALTER TABLE s.a RENAME TO b` makes s.b.
    const schema = from.includes('.') ? `${from.slice(0, from.lastIndexOf('.'))}.` : '';
    this.set(`${schema}${to}`, facts);
    // Its indexes belong to it under the new name: a later DROP INDEX locks the table by that name (formbricks).
    if (facts.kind !== 'index') {
      for (const other of this.relations.values()) if (other.kind === 'index' && other.table !== undefined && this.key(other.table) === this.key(from)) other.table = `${schema}${to}`;
    }
  }

  columnType(table: string, column: string): TypeRef | undefined {
    return this.get(table)?.columns.get(column);
  }

  /** The table an index belongs to, when known. */
  indexTable(index: string): string | undefined {
    const facts = this.get(index);
    return facts?.kind === 'index' ? facts.table : undefined;
  }

  /** Where a constraint named `name` lives on `table`, when known. */
  constraint(table: string, name: string): ConstraintFacts | undefined {
    return this.get(table)?.constraints.get(name);
  }

  foreignKeysOf(table: string): ConstraintFacts[] {
    return [...(this.get(table)?.constraints.values() ?? [])].filter((c) => c.type === 'f');
  }

  /** Tables whose foreign keys reference `table` (dropping it, or them, locks both sides). */
  referencing(table: string): string[] {
    const target = this.key(table);
    const out: string[] = [];
    for (const [name, facts] of this.relations) {
      if (name === target) continue;
      for (const c of facts.constraints.values()) if (c.type === 'f' && c.references !== undefined && this.key(c.references) === target) out.push(name);
    }
    return [...new Set(out)];
  }

  /**
   * Foreign keys that involve `table.column` on either side, as [the other table, the key]: ALTER COLUMN TYPE rebuilds
   * each, which takes ACCESS EXCLUSIVE on the other table too (verified with pg_locks on PostgreSQL 15).
   */
  foreignKeysOnColumn(table: string, column: string): string[] {
    const target = this.key(table);
    const others: string[] = [];
    for (const fk of this.foreignKeysOf(table)) {
      if (fk.references !== undefined && fk.columns?.includes(column)) others.push(fk.references);
    }
    for (const [name, facts] of this.relations) {
      for (const c of facts.constraints.values()) {
        if (c.type !== 'f' || c.references === undefined || this.key(c.references) !== target) continue;
        const referenced = c.refColumns?.length ? c.refColumns : this.primaryKeyOf(table);
        if (referenced?.includes(column)) others.push(name);
      }
    }
    return [...new Set(others.filter((o) => this.key(o) !== target))];
  }

  primaryKeyOf(table: string): string[] | undefined {
    return [...(this.get(table)?.constraints.values() ?? [])].find((c) => c.type === 'p')?.columns;
  }

  /** The indexes known to be on `table`. */
  indexesOf(table: string): string[] {
    const target = this.key(table);
    return [...this.relations].filter(([, f]) => f.kind === 'index' && f.table !== undefined && this.key(f.table) === target).map(([n]) => n);
  }
}
