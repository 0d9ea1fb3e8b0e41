import type { ReactNode } from 'react';
import type { TableStructureDto } from '../../../../electron/shared/dto.ts';
import { formatBytes } from '../analysis/format.ts';

/** A small grid with a caption and a "none" line instead of an empty table. */
function Grid({ caption, headers, rows, testId, none }: { caption: string; headers: string[]; rows: ReactNode[][]; testId: string; none: string }) {
  return (
    <section className="structure-section" aria-label={caption}>
      <h3>{caption} <span className="muted">({rows.length})</span></h3>
      {rows.length === 0 ? <p className="muted none">{none}</p> : (
        <table className="structure-grid" data-testid={testId}>
          <thead><tr>{headers.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
          <tbody>{rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
        </table>
      )}
    </section>
  );
}

const code = (text: string | null) => (text ? <code>{text}</code> : null);

export function IndexesTable({ s }: { s: TableStructureDto }) {
  const flags = (x: TableStructureDto['indexes'][number]) => [x.primary ? 'primary key' : x.unique ? 'unique' : '', x.constraint === 'x' ? 'exclusion' : '', x.partial ? 'partial' : '']
    .filter(Boolean).join(', ');
  return (
    <Grid
      caption="Indexes" testId="indexes-grid" none="No indexes."
      headers={['Name', 'Kind', 'Definition', 'Valid', 'Size']}
      rows={s.indexes.map((x) => [
        <code className="ident">{x.name}</code>, flags(x), code(x.definition),
        x.valid ? 'valid' : <strong className="error">INVALID</strong>, x.sizeBytes === null ? '' : formatBytes(x.sizeBytes),
      ])}
    />
  );
}

export function ConstraintsTable({ s }: { s: TableStructureDto }) {
  return (
    <Grid
      caption="Constraints" testId="constraints-grid" none="No constraints."
      headers={['Name', 'Type', 'Definition']}
      rows={s.constraints.map((c) => [<code className="ident">{c.name}</code>, c.type, code(c.definition)])}
    />
  );
}

export function ForeignKeysTables({ s }: { s: TableStructureDto }) {
  return (
    <>
      <Grid
        caption={`Outgoing: foreign keys of ${s.name}`} testId="fk-out-grid" none="This table references no other table."
        headers={['Name', 'References', 'Definition']}
        rows={s.foreignKeys.outgoing.map((f) => [<code className="ident">{f.name}</code>, code(f.references), code(f.definition)])}
      />
      <Grid
        caption={`Incoming: foreign keys referencing ${s.name}`} testId="fk-in-grid" none="No table references this one."
        headers={['Table', 'Name', 'Definition']}
        rows={s.foreignKeys.incoming.map((f) => [code(f.table), <code className="ident">{f.name}</code>, code(f.definition)])}
      />
    </>
  );
}

export function TriggersAndPolicies({ s }: { s: TableStructureDto }) {
  return (
    <>
      <Grid
        caption="Triggers" testId="triggers-grid" none="No triggers."
        headers={['Name', 'Definition', 'State']}
        rows={s.triggers.map((t) => [<code className="ident">{t.name}</code>, code(t.definition), t.enabled === 'disabled' ? <strong className="warning">disabled</strong> : t.enabled])}
      />
      <p className="muted rls">Row-level security: {s.rowSecurity.enabled ? (s.rowSecurity.forced ? 'enabled, forced for the owner too' : 'enabled') : 'off'}</p>
      <Grid
        caption="Policies" testId="policies-grid" none="No policies."
        headers={['Name', 'Command', 'Kind', 'Roles', 'Using', 'With check']}
        rows={s.policies.map((p) => [<code className="ident">{p.name}</code>, p.command ?? 'ALL', p.permissive ? 'permissive' : 'restrictive', p.roles ?? 'public', code(p.using), code(p.withCheck)])}
      />
    </>
  );
}
