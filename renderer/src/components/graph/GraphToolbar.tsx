import { memo } from 'react';
import { useApp } from '../../store/index.ts';
import type { StateFilter } from '../../store/graph-slice.ts';
import { STATE_GLYPH, STATE_LABEL } from './graph-model.ts';
import { BranchIcon } from '../common/BranchIcon.tsx';

// A state filter keeps a migration when any environment has it in that state: the labels say so.
const FILTERS: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'All migrations' }, { value: 'pending', label: 'Pending in any environment' }, { value: 'problems', label: 'Problems in any environment' },
  { value: 'applied', label: 'Applied in any environment' }, { value: 'failed', label: 'Failed in any environment' }, { value: 'edited', label: 'Edited in any environment' },
  { value: 'missing-locally', label: 'Missing locally in any environment' }, { value: 'rolled-back', label: 'Rolled back in any environment' },
];

// Memoised: a scroll step re-renders the graph's list, not its toolbar.
export const GraphToolbar = memo(function GraphToolbar({ total, shown, jumps, onJump }: { total: number; shown: number; jumps: { label: string; name: string }[]; onJump(name: string): void }) {
  const { search, setSearch, stateFilter, setStateFilter } = useApp();
  return (
    <div className="graph-toolbar">
      <input
        id="graph-search"
        type="search"
        placeholder="Search migrations  ( / )"
        aria-label="Search migrations"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <select aria-label="Filter by state" value={stateFilter} onChange={(e) => setStateFilter(e.target.value as StateFilter)}>
        {FILTERS.map((f) => <option key={f.value} value={f.value}>{f.label}</option>)}
      </select>
      <select aria-label="Jump to" value="" onChange={(e) => e.target.value && onJump(e.target.value)} data-testid="graph-jump">
        <option value="">Jump to…</option>
        {jumps.map((j) => <option key={j.label} value={j.name}>{j.label}</option>)}
      </select>
      <span className="muted">{shown === total ? `${total} migrations` : `${shown} of ${total}`}</span>
      <details className="legend">
        <summary>Legend</summary>
        <ul>
          {Object.entries(STATE_GLYPH).map(([state, glyph]) => (
            <li key={state}><span className={`glyph state-${state}`}>{glyph}</span> {STATE_LABEL[state as keyof typeof STATE_LABEL]}</li>
          ))}
          <li><span className="head-marker">env</span> the environment's head</li>
          <li><BranchIcon /> branch: applied in a database, absent from the folder</li>
        </ul>
      </details>
    </div>
  );
});
