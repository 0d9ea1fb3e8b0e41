import type { CompareDto } from '../../../../electron/shared/dto.ts';
import { groupByKind, KindGroups } from '../drift/KindGroups.tsx';

/** Every difference between two environments' whole schemas, grouped by kind (environments/compare). */
export function SchemaCompare({ compare }: { compare: CompareDto }) {
  return (
    <div className="compare" data-testid="compare-output" data-pair={`${compare.a}:${compare.b}`}>
      <h3>{compare.differences.length ? `${compare.differences.length} difference(s) between ${compare.a} and ${compare.b}` : `${compare.a} and ${compare.b} have the same schema`}</h3>
      {compare.differences.length > 0 && (
        <KindGroups
          groups={compare.byKind ?? groupByKind(compare.differences)}
          left={compare.a}
          right={compare.b}
          testId="compare-groups"
          item={(d) => ({ name: `${d.relation}${d.name && d.name !== d.relation ? ` · ${d.name}` : ''}${d.property ? ` (${d.property})` : ''}`, a: d.a, b: d.b })}
        />
      )}
    </div>
  );
}
