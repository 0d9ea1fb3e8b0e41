import { useApp } from '../../store/index.ts';
import type { StateFilter } from '../../store/graph-slice.ts';
import { STATE_GLYPH, STATE_LABEL } from './graph-model.ts';

const FILTERS: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'All' }, { value: 'pending', label: 'Pending' }, { value: 'problems', label: 'Problems' },
  { value: 'applied', label: 'Applied' }, { value: 'failed', label: 'Failed' }, { value: 'edited', label: 'Edited' },
  { value: 'missing-locally', label: 'Missing locally' }, { value: 'rolled-back', label: 'Rolled back' },
];

export function GraphToolbar({ total, shown }: { total: number; shown: number }) {
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
      <span className="muted">{shown === total ? `${total} migrations` : `${shown} of ${total}`}</span>
      <details className="legend">
        <summary>Legend</summary>
        <ul>
          {Object.entries(STATE_GLYPH).map(([state, glyph]) => (
            <li key={state}><span className={`glyph state-${state}`}>{glyph}</span> {STATE_LABEL[state as keyof typeof STATE_LABEL]}</li>
          ))}
          <li><span className="head-marker">env</span> the environment's head</li>
          <li><span className="branch-mark">⑂</span> branch: applied in a database, absent from the folder</li>
        </ul>
      </details>
    </div>
  );
}
