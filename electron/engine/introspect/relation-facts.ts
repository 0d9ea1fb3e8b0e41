/** What `\d NAME` shows about a relation, as structured facts (`godwit describe --json`). */

export interface ColumnFacts {
  name: string;
  /** As `format_type` prints it. */
  type: string;
  /** Set only when it differs from the type's default collation, as psql shows it. */
  collation: string | null;
  notNull: boolean;
  /** The Default column as psql prints it: an expression, "generated always as identity", or a generated column. */
  default: string | null;
  identity: 'always' | 'by default' | null;
  generated: string | null;
  storage: 'plain' | 'main' | 'extended' | 'external' | null;
  compression: string | null;
  statsTarget: number | null;
  description: string | null;
  /** Foreign-table columns: their FDW options as psql prints them, "(name 'value', …)". */
  fdwOptions?: string | undefined;
  /** Index columns: whether it is a key column (not INCLUDE), and its definition. */
  key?: boolean | undefined;
  definition?: string | undefined;
}

export interface IndexFacts {
  name: string;
  primary: boolean;
  unique: boolean;
  /** p, u or x when the index backs a constraint. */
  constraintType: 'p' | 'u' | 'x' | null;
  /** The index definition after USING: method, columns or expressions, partial predicate. */
  definition: string;
  constraintDefinition: string | null;
  deferrable: boolean;
  deferred: boolean;
  valid: boolean;
  clustered: boolean;
  replicaIdentity: boolean;
  tablespace: string | null;
}

export interface NamedDefinition {
  name: string;
  definition: string;
}

export interface ForeignKeyFacts extends NamedDefinition {
  /** The table the constraint is declared on (an ancestor for inherited partition constraints). */
  table: string;
  sameTable: boolean;
}

export interface PolicyFacts {
  name: string;
  permissive: boolean;
  roles: string | null;
  using: string | null;
  withCheck: string | null;
  command: string | null;
}

export interface TriggerFacts {
  name: string;
  /** pg_get_triggerdef after "CREATE TRIGGER ". */
  definition: string;
  /** O enabled, D disabled, R replica only, A always. */
  enabled: 'O' | 'D' | 'R' | 'A';
  internal: boolean;
  /** The ancestor table a partition's trigger is inherited from. */
  parent: string | null;
}

export interface StatisticsFacts {
  /** schema.name, as psql quotes it in the footer. */
  name: string;
  table: string;
  columns: string;
  ndistinct: boolean;
  dependencies: boolean;
  mcv: boolean;
  /** null when the default (-1). */
  statsTarget: number | null;
}

export interface RuleFacts {
  name: string;
  /** pg_get_ruledef after "CREATE RULE ", without its final semicolon. */
  definition: string;
  /** O enabled, D disabled, A always, R replica only. */
  enabled: 'O' | 'D' | 'A' | 'R';
}

export interface PublicationFacts {
  name: string;
  /** The published columns, "a, b", when the publication lists them. */
  columns: string | null;
  rowFilter: string | null;
}

export interface PartitionFacts {
  name: string;
  bound: string;
  relkind: string;
  detachPending: boolean;
}

export interface SequenceFacts {
  type: string;
  start: string;
  minimum: string;
  maximum: string;
  increment: string;
  cycles: boolean;
  cache: string;
  ownedBy: string | null;
  identity: boolean;
}

export interface IndexOwnerFacts {
  table: string;
  method: string;
  primary: boolean;
  unique: boolean;
  nullsNotDistinct: boolean;
  predicate: string | null;
  deferrable: boolean;
  deferred: boolean;
  valid: boolean;
  clustered: boolean;
  replicaIdentity: boolean;
}

export interface RelationDescription {
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, S sequence, i/I index, f, c, t. */
  relkind: string;
  /** "Table", "Unlogged table", "Partitioned index", …: psql's title word. */
  kindTitle: string;
  persistence: 'permanent' | 'unlogged' | 'temporary';
  columns: ColumnFacts[];
  indexes: IndexFacts[];
  checkConstraints: NamedDefinition[];
  foreignKeys: ForeignKeyFacts[];
  referencedBy: ForeignKeyFacts[];
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  policies: PolicyFacts[];
  statistics: StatisticsFacts[];
  /** Rewrite rules other than a view's own _RETURN. */
  rules: RuleFacts[];
  publications: PublicationFacts[];
  triggers: TriggerFacts[];
  partitionKey: string | null;
  partitionOf: { parent: string; bound: string; detachPending: boolean } | null;
  partitionConstraint: string | null;
  partitions: PartitionFacts[];
  inherits: string[];
  viewDefinition: string | null;
  accessMethod: string | null;
  options: string | null;
  tablespace: string | null;
  typedTableOf: string | null;
  replicaIdentity: string;
  description: string | null;
  sequence: SequenceFacts | null;
  index: IndexOwnerFacts | null;
  /** TOAST tables: the table whose values they hold, schema.name. */
  owningTable: string | null;
  /** Foreign tables: the server and the table's FDW options ("a 'b', …", empty when none). */
  foreignTable: { server: string; options: string } | null;
}
