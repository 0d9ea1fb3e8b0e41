import type { ReactNode } from 'react';

/** "table" → "Tables", "index" → "Indexes", "policy" → "Policies": a group's heading. */
export function kindHeading(kind: string, n: number): string {
  const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : /(s|x|ch)$/.test(kind) ? `${kind}es` : `${kind}s`;
  return `${plural[0]!.toUpperCase()}${plural.slice(1)} (${n})`;
}

/**
 * Differences grouped by catalog kind, kinds in the engine's order. Each item shows its two definitions side by
 * side (absent on one side is said in words), with whatever the caller adds under it (reconcile SQL).
 */
export function KindGroups<T>({ groups, left, right, testId, item }: {
  groups: { kind: string; items: T[] }[];
  left: string;
  right: string;
  testId: string;
  item(x: T): { name: string; a: string | null; b: string | null; extra?: ReactNode };
}) {
  return (
    <div className="kind-groups" data-testid={testId}>
      {groups.map((g) => (
        <section key={g.kind} className="kind-group" aria-label={kindHeading(g.kind, g.items.length)} data-kind={g.kind}>
          <h4>{kindHeading(g.kind, g.items.length)}</h4>
          {g.items.map((x, i) => {
            const it = item(x);
            return (
              <div key={i} className="kind-item" data-name={it.name}>
                <div className="kind-item-name"><code>{it.name}</code></div>
                <div className="side-by-side">
                  <div><div className="side-label">{left}</div>{it.a === null ? <p className="absent">absent</p> : <pre>{it.a}</pre>}</div>
                  <div><div className="side-label">{right}</div>{it.b === null ? <p className="absent">absent</p> : <pre>{it.b}</pre>}</div>
                </div>
                {it.extra}
              </div>
            );
          })}
        </section>
      ))}
    </div>
  );
}

/** Groups a flat list by `kind`, first-seen order (for results that come without `byKind`). */
export function groupByKind<T extends { kind: string }>(items: T[]): { kind: string; items: T[] }[] {
  const map = new Map<string, T[]>();
  for (const x of items) map.set(x.kind, [...(map.get(x.kind) ?? []), x]);
  return [...map].map(([kind, list]) => ({ kind, items: list }));
}
