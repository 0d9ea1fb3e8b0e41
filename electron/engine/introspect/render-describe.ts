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
  if (k === 'f') {
    headers.push('FDW options');
    getters.push((c) => c.fdwOptions ?? '');
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
    if (p.roles) line += `\n      TO ${p.roles}`;
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

function statisticsFooter(d: RelationDescription): string[] {
  if (!d.statistics.length) return [];
  return ['Statistics objects:', ...d.statistics.map((st) => {
    let line = `    "${st.name}"`;
    // psql names the kinds only when some but not all were asked for (all is what CREATE STATISTICS expands to).
    const kinds = [st.ndistinct && 'ndistinct', st.dependencies && 'dependencies', st.mcv && 'mcv'].filter(Boolean);
    if (kinds.length && kinds.length < 3) line += ` (${kinds.join(', ')})`;
    line += ` ON ${st.columns} FROM ${st.table}`;
    if (st.statsTarget !== null) line += `; STATISTICS ${st.statsTarget}`;
    return line;
  })];
}

function ruleFooter(d: RelationDescription): string[] {
  const groups: [string, RelationDescription['rules'][number]['enabled']][] = [
    ['Rules:', 'O'], ['Disabled rules:', 'D'], ['Rules firing always:', 'A'], ['Rules firing on replica only:', 'R'],
  ];
  return groups.flatMap(([label, enabled]) => {
    const list = d.rules.filter((r) => r.enabled === enabled);
    return list.length ? [label, ...list.map((r) => `    ${r.definition}`)] : [];
  });
}

function publicationFooter(d: RelationDescription): string[] {
  if (!d.publications.length) return [];
  return ['Publications:', ...d.publications.map((p) => `    "${p.name}"${p.columns !== null ? ` (${p.columns})` : ''}${p.rowFilter !== null ? ` WHERE ${p.rowFilter}` : ''}`)];
}

/** Indexes through publications: what psql prints for tables, partitioned, foreign and materialized views alike. */
function tableFooters(d: RelationDescription): string[] {
  const f: string[] = [];
  if (d.indexes.length) f.push('Indexes:', ...d.indexes.map(indexLine));
  if (d.checkConstraints.length) f.push('Check constraints:', ...d.checkConstraints.map((c) => `    "${c.name}" ${c.definition}`));
  if (d.foreignKeys.length) {
    f.push('Foreign-key constraints:', ...d.foreignKeys.map((c) => (c.sameTable ? `    "${c.name}" ${c.definition}` : `    TABLE "${c.table}" CONSTRAINT "${c.name}" ${c.definition}`)));
  }
  if (d.referencedBy.length) f.push('Referenced by:', ...d.referencedBy.map((c) => `    TABLE "${c.table}" CONSTRAINT "${c.name}" ${c.definition}`));
  f.push(...policyFooter(d), ...statisticsFooter(d));
  if (d.relkind !== 'm') f.push(...ruleFooter(d));
  f.push(...publicationFooter(d));
  return f;
}

function inheritanceFooters(d: RelationDescription, verbose: boolean): string[] {
  const f = listFooter('Inherits', d.inherits);
  const partitioned = d.relkind === 'p' || d.relkind === 'I';
  // psql always counts a partitioned table's partitions, even none and even with \d+; other parents only when some.
  if (partitioned && !d.partitions.length) return [...f, 'Number of partitions: 0'];
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

const REPLICA_IDENTITY: Record<string, string> = { f: 'FULL', n: 'NOTHING', d: 'DEFAULT' };

/** The last footers of a table: its server, parents, children, type, replica identity, tablespace, access method. */
function closingTableFooters(d: RelationDescription, verbose: boolean): string[] {
  const f: string[] = [];
  if (d.foreignTable) {
    f.push(`Server: ${d.foreignTable.server}`);
    if (d.foreignTable.options) f.push(`FDW options: (${d.foreignTable.options})`);
  }
  f.push(...inheritanceFooters(d, verbose));
  if (d.typedTableOf) f.push(`Typed table of type: ${d.typedTableOf}`);
  // Defaults are not shown: 'd' for user tables, 'n' for catalogs; 'i' is marked on the index line instead.
  const defaultIdentity = d.schema === 'pg_catalog' ? 'n' : 'd';
  if (verbose && ['r', 'm'].includes(d.relkind) && d.replicaIdentity !== 'i' && d.replicaIdentity !== defaultIdentity) {
    f.push(`Replica Identity: ${REPLICA_IDENTITY[d.replicaIdentity] ?? '???'}`);
  }
  if (d.tablespace) f.push(`Tablespace: "${d.tablespace}"`);
  if (verbose && d.accessMethod && ['r', 'm', 'p', 't'].includes(d.relkind)) f.push(`Access method: ${d.accessMethod}`);
  return f;
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

const TABLE_FOOTER_KINDS = new Set(['r', 'm', 'f', 'p', 't']);

/**
 * The facts of one relation laid out exactly as psql's `\d` (or `\d+` when verbose) prints them, footers in psql's
 * order, ending with psql's blank line. Several relations are printed one after another, as psql does.
 */
export function renderDescribe(d: RelationDescription, verbose: boolean): string {
  if (d.relkind === 'S' && d.sequence) return renderPsqlTable(sequenceTable(d));
  const { headers, rows } = columnTable(d, verbose);
  const footers: string[] = [];
  if (d.partitionOf) {
    footers.push(`Partition of: ${d.partitionOf.parent} ${d.partitionOf.bound}${d.partitionOf.detachPending ? ' DETACH PENDING' : ''}`);
    if (verbose) footers.push(d.partitionConstraint ? `Partition constraint: ${d.partitionConstraint}` : 'No partition constraint');
  }
  if (d.partitionKey) footers.push(`Partition key: ${d.partitionKey}`);
  if (d.owningTable) footers.push(`Owning table: "${d.owningTable}"`);
  if (INDEX_KINDS.has(d.relkind) && d.index) footers.push(...indexFooters(d, verbose));
  else if (TABLE_FOOTER_KINDS.has(d.relkind)) footers.push(...tableFooters(d));
  if ((d.relkind === 'v' || d.relkind === 'm') && verbose) {
    if (d.viewDefinition) footers.push('View definition:', d.viewDefinition);
    // A view's own rules (not its _RETURN), after "CREATE RULE" and behind one space.
    if (d.relkind === 'v' && d.rules.length) footers.push('Rules:', ...d.rules.map((r) => ` ${r.definition}`));
  }
  if (!INDEX_KINDS.has(d.relkind)) footers.push(...triggerFooter(d));
  if (TABLE_FOOTER_KINDS.has(d.relkind)) footers.push(...closingTableFooters(d, verbose));
  if (verbose && d.options) footers.push(`Options: ${d.options}`);
  return renderPsqlTable({ title: `${d.kindTitle} "${d.schema}.${d.name}"`, headers, rows, footers });
}

/** `\d PATTERN` for every relation found: psql's blocks one after another. */
export function renderDescriptions(found: RelationDescription[], verbose: boolean): string {
  return found.map((d) => renderDescribe(d, verbose)).join('');
}
