import { memo } from 'react';
import { BranchIcon } from '../common/BranchIcon.tsx';
import { laneWidth, rowLabel, STATE_GLYPH, STATE_LABEL, type GraphRow } from './graph-model.ts';

/** Every row is this tall: the virtualiser never has to measure one. */
export const ROW_HEIGHT = 30;
const ROW_STYLE = { height: ROW_HEIGHT };
const laneStyles = new Map<string, { width: number }>();
/** One style object per environment, so a re-render compares equal objects' values, not new ones. */
function laneStyle(env: string): { width: number } {
  let s = laneStyles.get(env);
  if (!s) laneStyles.set(env, (s = { width: laneWidth(env) }));
  return s;
}

interface Props {
  row: GraphRow;
  envs: string[];
  selectedEnv: string | null;
  selected: boolean;
  noDown: boolean;
  onSelect(name: string): void;
}

/**
 * One migration of the graph. Memoised on plain props: a scroll re-renders only the rows whose migration changed,
 * and the list reuses these elements for the rows that scroll into view instead of building new ones.
 */
export const GraphRowView = memo(function GraphRowView({ row, envs, selectedEnv, selected, noDown, onSelect }: Props) {
  return (
    <div
      id={`row-${row.name}`}
      role="option"
      aria-selected={selected}
      aria-label={rowLabel(row, envs, noDown ? 'no down.sql' : undefined)}
      className={`graph-row${selected ? ' selected' : ''}${row.branch ? ' branch' : ''}`}
      style={ROW_STYLE}
      onClick={() => onSelect(row.name)}
      data-migration={row.name}
    >
      {envs.map((env) => {
        const state = row.states[env];
        return (
          <span key={env} className={`lane${env === selectedEnv ? ' lane-selected' : ''}`} data-env={env} data-state={state ?? 'none'} style={laneStyle(env)}>
            <span className={`glyph state-${state ?? 'none'}`} title={state ? `${env}: ${STATE_LABEL[state]}` : `${env}: not in this history`} aria-hidden="true">
              {state ? STATE_GLYPH[state] : '·'}
            </span>
            {/* The name is drawn by CSS (data-label): the row's accessible name already says "head of …" in words. */}
            {row.heads.includes(env) && <span className="head-marker" data-testid={`head-${env}`} data-label={env} title={`head of ${env}`} aria-hidden="true" />}
          </span>
        );
      })}
      {/* The date column's place: its text is drawn once for all rows by the list (GraphDates). */}
      <span className="graph-date" aria-hidden="true" />
      <span className="graph-name" title={row.name}>
        {row.branch && <BranchIcon title="Applied in a database but not in the migrations folder" />}
        {row.name}
      </span>
      {/* Drawn by CSS and said in the row's name (rowLabel): one reading, in order. */}
      {noDown && <span className="badge warn row-badge" data-label="no down.sql" title="No down.sql: it cannot be rolled back" aria-hidden="true" />}
    </div>
  );
});
