import type { RelationDescription } from './relation-facts.ts';
import { renderPsqlTable, type PsqlTable } from './psql-table.ts';

const TABLE_LIKE = new Set(['r', 'p', 'v', 'm', 'f', 'c']);
const INDEX_KINDS = new Set(['i', 'I']);

/** "Label: a,\n       b": psql's continuation lines line up under the first item. */
function listFooter(label: string, items: string[]): string[] {
  if (!items.length) return [];
  const indent = ' '.repeat(label.length + 2);
  return [items.map((item, i) => (i === 0 ? `${label}: ${item}` : `${indent}${item}`)).join(',\n')];
}

function columnTable(d: RelationDescription, verbose: boolean): Pick<PsqlTable, 'headers' | 'rows'> {
  const k = d.relkind;
  const headers = ['Column', 'Type'];
  const getters: ((c: RelationDescription['columns'][number]) => string)[] = [(c) => c.name, (c) => c.type];
  if (TABLE_LIKE.has(k)) {
    headers.push('Collation', 'Nullable', 'Default');
    getters.push((c) => c.collation ?? '', (c) => (c.notNull ? 'not null' : ''), (c) => c.default ?? '');
  }
  if (INDEX_KINDS.has(k)) {
    headers.push('Key?', 'Definition');
    getters.push((c) => (c.key ? 'yes' : 'no'), (c) => c.definition ?? '');
  }
  if (verbose) {
    headers.push('Storage');
    getters.push((c) => c.storage ?? '');
    if (['r', 'p', 'm'].includes(k)) {
      headers.push('Compression');
      getters.push((c) => c.compression ?? '');
    }
    if (['r', 'p', 'm', 'i', 'I', 'f'].includes(k)) {
      headers.push('Stats target');
      getters.push((c) => (c.statsTarget === null ? '' : String(c.statsTarget)));
    }
    if (['r', 'p', 'v', 'm', 'f', 'c'].includes(k)) {
      headers.push('Description');
      getters.push((c) => c.description ?? '');
    }
  }
  return { headers, rows: d.columns.map((c) => getters.map((g) => g(c))) };
}

function indexLine(ix: RelationDescription['indexes'][number]): string {
  let line = `    "${ix.name}"`;
  if (ix.constraintType === 'x') line += ` ${ix.constraintDefinition}`;
  else {
    if (ix.primary) line += ' PRIMARY KEY,';
    else if (ix.unique) line += ix.constraintType === 'u' ? ' UNIQUE CONSTRAINT,' : ' UNIQUE,';
    line += ` ${ix.definition}`;
    if (ix.deferrable) line += ' DEFERRABLE';
    if (ix.deferred) line += ' INITIALLY DEFERRED';
  }
  if (!ix.valid) line += ' INVALID';
  if (ix.clustered) line += ' CLUSTER';
  if (ix.replicaIdentity) line += ' REPLICA IDENTITY';
  if (ix.tablespace) line += `, tablespace "${ix.tablespace}"`;
  return line;
}

function policyFooter(d: RelationDescription): string[] {
  const n = d.policies.length;
  let head: string | null = null;
  if (d.rowSecurity && !d.forceRowSecurity) head = n ? 'Policies:' : 'Policies (row security enabled): (none)';
  else if (d.rowSecurity && d.forceRowSecurity) head = n ? 'Policies (forced row security enabled):' : 'Policies (forced row security enabled): (none)';
  else if (n) head = 'Policies (row security disabled):';
  if (!head) return [];
  return [head, ...d.policies.map((p) => {
    let line = `    POLICY "${p.name}"`;
    if (!p.permissive) line += ' AS RESTRICTIVE';
    if (p.command) line += ` FOR ${p.command}`;
    if (p.roles) line += ` TO ${p.roles}`;
    if (p.using) line += `\n      USING (${p.using})`;
    if (p.withCheck) line += `\n      WITH CHECK (${p.withCheck})`;
    return line;
  })];
}

function triggerFooter(d: RelationDescription): string[] {
  const groups: [string, (t: RelationDescription['triggers'][number]) => boolean][] = [
    ['Triggers:', (t) => !t.internal && t.enabled === 'O'],
    ['Disabled user triggers:', (t) => !t.internal && t.enabled === 'D'],
    ['Disabled internal triggers:', (t) => t.internal && t.enabled === 'D'],
    ['Triggers firing always:', (t) => t.enabled === 'A'],
    ['Triggers firing on replica only:', (t) => t.enabled === 'R'],
  ];
  return groups.flatMap(([label, pick]) => {
    const list = d.triggers.filter(pick);
    return list.length ? [label, ...list.map((t) => `    ${t.definition}${t.parent ? `, ON TABLE ${t.parent}` : ''}`)] : [];
  });
}

function tableFooters(d: RelationDescription, verbose: boolean): string[] {
  const f: string[] = [];
  if (d.partitionKey) f.push(`Partition key: ${d.partitionKey}`);
  if (d.indexes.length) f.push('Indexes:', ...d.indexes.map(indexLine));
  if (d.checkConstraints.length) f.push('Check constraints:', ...d.checkConstraints.map((c) => `    "${c.name}" ${c.definition}`));
  if (d.foreignKeys.length) {
    f.push('Foreign-key constraints:', ...d.foreignKeys.map((c) => (c.sameTable ? `    "${c.name}" ${c.definition}` : `    TABLE "${c.table}" CONSTRAINT "${c.name}" ${c.definition}`)));
  }
  if (d.referencedBy.length) f.push('Referenced by:', ...d.referencedBy.map((c) => `    TABLE "${c.table}" CONSTRAINT "${c.name}" ${c.definition}`));
  f.push(...policyFooter(d));
  // Defaults are not shown: 'd' for user tables, 'n' for catalogs; 'i' is marked on the index line instead.
  const defaultIdentity = d.schema === 'pg_catalog' ? 'n' : 'd';
  if (verbose && ['r', 'm'].includes(d.relkind) && d.replicaIdentity !== 'i' && d.replicaIdentity !== defaultIdentity) {
    f.push(`Replica Identity: ${d.replicaIdentity === 'f' ? 'FULL' : d.replicaIdentity === 'n' ? 'NOTHING' : d.replicaIdentity === 'd' ? 'DEFAULT' : '???'}`);
  }
  return f;
}

function inheritanceFooters(d: RelationDescription, verbose: boolean): string[] {
  const f = listFooter('Inherits', d.inherits);
  const partitioned = d.relkind === 'p' || d.relkind === 'I';
  if (!d.partitions.length) return f;
  if (!verbose) {
    const what = partitioned ? 'partitions' : 'child tables';
    f.push(`Number of ${what}: ${d.partitions.length} (Use \\d+ to list them.)`);
    return f;
  }
  const items = d.partitions.map((p) => {
    if (!partitioned) return p.name;
    let s = d.relkind === 'I' ? p.name : `${p.name} ${p.bound}`;
    if (p.relkind === 'p' || p.relkind === 'I') s += ', PARTITIONED';
    if (p.detachPending) s += ' (DETACH PENDING)';
    return s;
  });
  return [...f, ...listFooter(partitioned ? 'Partitions' : 'Child tables', items)];
}

function sequenceTable(d: RelationDescription): PsqlTable {
  const s = d.sequence!;
  const footers = s.ownedBy ? [s.identity ? `Sequence for identity column: ${s.ownedBy}` : `Owned by: ${s.ownedBy}`] : [];
  return {
    title: `${d.kindTitle} "${d.schema}.${d.name}"`,
    headers: ['Type', 'Start', 'Minimum', 'Maximum', 'Increment', 'Cycles?', 'Cache'],
    rows: [[s.type, s.start, s.minimum, s.maximum, s.increment, s.cycles ? 'yes' : 'no', s.cache]],
    rightAligned: [false, true, true, true, true, false, true],
    footers,
  };
}

function indexFooters(d: RelationDescription, verbose: boolean): string[] {
  const i = d.index!;
  let s = i.primary ? 'primary key, ' : i.unique ? `unique${i.nullsNotDistinct ? ' nulls not distinct' : ''}, ` : '';
  s += `${i.method}, for table "${d.schema}.${i.table}"`;
  if (i.predicate) s += `, predicate (${i.predicate})`;
  if (i.deferrable) s += ', deferrable';
  if (i.deferred) s += ', initially deferred';
  if (!i.valid) s += ', invalid';
  if (i.clustered) s += ', clustered';
  if (i.replicaIdentity) s += ', replica identity';
  const f = [s];
  if (d.relkind === 'I') {
    f.push(...inheritanceFooters(d, verbose));
    if (verbose && d.accessMethod) f.push(`Access method: ${d.accessMethod}`);
  }
  if (d.tablespace) f.push(`Tablespace: "${d.tablespace}"`);
  return f;
}

/** The facts of one relation laid out exactly as psql's `\d` (or `\d+` when verbose) prints them. */
export function renderDescribe(d: RelationDescription, verbose: boolean): string {
  if (d.relkind === 'S' && d.sequence) return renderPsqlTable(sequenceTable(d));
  const { headers, rows } = columnTable(d, verbose);
  const footers: string[] = [];
  if (d.partitionOf) {
    footers.push(`Partition of: ${d.partitionOf.parent} ${d.partitionOf.bound}${d.partitionOf.detachPending ? ' DETACH PENDING' : ''}`);
    if (verbose) footers.push(d.partitionConstraint ? `Partition constraint: ${d.partitionConstraint}` : 'No partition constraint');
  }
  if (INDEX_KINDS.has(d.relkind) && d.index) footers.push(...indexFooters(d, verbose));
  else if (d.relkind === 'v' || d.relkind === 'm') {
    if (verbose && d.viewDefinition) footers.push('View definition:', d.viewDefinition);
    if (d.relkind === 'm') footers.push(...tableFooters(d, verbose).filter((l) => !l.startsWith('Policies')));
  } else footers.push(...tableFooters(d, verbose));
  if (!INDEX_KINDS.has(d.relkind)) {
    footers.push(...triggerFooter(d));
    footers.push(...inheritanceFooters(d, verbose));
    if (d.typedTableOf) footers.push(`Typed table of type: ${d.typedTableOf}`);
    if (d.tablespace) footers.push(`Tablespace: "${d.tablespace}"`);
    if (verbose && d.accessMethod && ['r', 'm', 'p', 't'].includes(d.relkind)) footers.push(`Access method: ${d.accessMethod}`);
    if (verbose && d.options) footers.push(`Options: ${d.options}`);
  }
  return renderPsqlTable({ title: `${d.kindTitle} "${d.schema}.${d.name}"`, headers, rows, footers });
}
