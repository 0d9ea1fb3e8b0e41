import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store/index.ts';
import { buildGraph, filterGraph, jumpTargets, laneWidth } from './graph-model.ts';
import { GraphToolbar } from './GraphToolbar.tsx';
import { GraphRowView, ROW_HEIGHT } from './GraphRowView.tsx';
import { GraphDates } from './GraphDates.tsx';

// Few rows beyond the viewport: the list renders synchronously on scroll, so more would only cost every frame.
const OVERSCAN = 3;

/** Every migration, one lane per environment, heads marked; virtualised so 10,000 rows scroll smoothly. */
export function RevisionGraph() {
  // Only what the graph shows: another slice's update (a run's progress, a view switch) does not re-render it.
  const { project, statuses, selectedEnv, search, stateFilter, selectedMigration, selectMigration, setSearch, setStateFilter } = useApp(
    useShallow((s) => ({ project: s.project, statuses: s.statuses, selectedEnv: s.selectedEnv, search: s.search, stateFilter: s.stateFilter, selectedMigration: s.selectedMigration, selectMigration: s.selectMigration, setSearch: s.setSearch, setStateFilter: s.setStateFilter })),
  );
  const envs = useMemo(() => project?.environments.map((e) => e.name) ?? [], [project]);
  const rows = useMemo(() => (project ? buildGraph(project, statuses, envs) : []), [project, statuses, envs]);
  const visible = useMemo(() => filterGraph(rows, search, stateFilter), [rows, search, stateFilter]);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });
  const selectedIndex = useMemo(() => visible.findIndex((r) => r.name === selectedMigration), [visible, selectedMigration]);
  const noDown = useMemo(() => new Set(project?.migrations.filter((m) => !m.hasDownSql).map((m) => m.name) ?? []), [project]);
  const jumps = useMemo(() => jumpTargets(rows, envs), [rows, envs]);
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  // A project opens at its newest migrations, where the work is (once per project, not on every refresh).
  const opened = useRef<string | null>(null);
  const loaded = Object.keys(statuses).length > 0;
  useEffect(() => {
    if (!project || !loaded || opened.current === project.dir || !visible.length) return;
    opened.current = project.dir;
    // After layout, when the scroll area has its height.
    if (selectedIndex < 0) requestAnimationFrame(() => virtualizer.scrollToIndex(visible.length - 1, { align: 'end' }));
  }, [project, loaded, visible.length, selectedIndex, virtualizer]);

  const onJump = useCallback((name: string) => {
    setSearch('');
    setStateFilter('all');
    selectMigration(name);
  }, [setSearch, setStateFilter, selectMigration]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const last = visible.length - 1;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? last : Math.min(last, Math.max(0, selectedIndex + (e.key === 'ArrowDown' ? 1 : -1)));
    if (visible[next]) selectMigration(visible[next]!.name);
  };

  return (
    <section className="graph" aria-label="Revision graph">
      <GraphToolbar total={rows.length} shown={visible.length} jumps={jumps} onJump={onJump} />
      <div className="graph-header" aria-hidden="true">
        {envs.map((env) => (
          <span key={env} className={`lane-title ${env === selectedEnv ? 'lane-selected' : ''}`} style={{ width: laneWidth(env) }} title={project?.environments.find((e) => e.name === env)?.location ?? env}>{env}</span>
        ))}
        <span className="graph-date">date</span>
        <span className="graph-header-name">migration</span>
      </div>
      <div
        ref={parent}
        className="graph-scroll"
        role="listbox"
        aria-label="Migrations"
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={selectedMigration ? `row-${selectedMigration}` : undefined}
        data-testid="revision-graph"
        data-rows={rows.length}
      >
        {visible.length === 0 && <p className="empty">{rows.length ? 'No migration matches the search or filter.' : 'This project has no migrations yet. Create one from schema.prisma.'}</p>}
        <div className="graph-rows" style={{ height: virtualizer.getTotalSize() }}>
          {/* Rows in flow under one offset, keyed by their place in the window: a scroll step reuses the same elements
              (new text and attributes) instead of unmounting the rows that left and building those that came in. */}
          <div style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {items.map((item, slot) => {
              const row = visible[item.index]!;
              return <GraphRowView key={slot} row={row} envs={envs} selectedEnv={selectedEnv} selected={row.name === selectedMigration} noDown={noDown.has(row.name)} onSelect={selectMigration} />;
            })}
            {items.length > 0 && <GraphDates names={items.map((item) => visible[item.index]!.name)} envs={envs} />}
          </div>
        </div>
      </div>
    </section>
  );
}
