import { useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../../store/index.ts';
import { buildGraph, filterGraph, folderDate, jumpTargets, laneWidth, rowLabel, STATE_GLYPH, STATE_LABEL, type GraphRow } from './graph-model.ts';
import { BranchIcon } from '../common/BranchIcon.tsx';
import { GraphToolbar } from './GraphToolbar.tsx';

const ROW_HEIGHT = 30;

function Lane({ row, env, selected }: { row: GraphRow; env: string; selected: boolean }) {
  const state = row.states[env];
  const isHead = row.heads.includes(env);
  return (
    <span className={`lane ${selected ? 'lane-selected' : ''}`} data-env={env} data-state={state ?? 'none'} style={{ width: laneWidth(env) }}>
      <span className={`glyph state-${state ?? 'none'}`} title={state ? `${env}: ${STATE_LABEL[state]}` : `${env}: not in this history`} aria-hidden="true">
        {state ? STATE_GLYPH[state] : '·'}
      </span>
      {/* The name is drawn by CSS (data-label): the row's accessible name already says "head of …" in words. */}
      {isHead && <span className="head-marker" data-testid={`head-${env}`} data-label={env} title={`head of ${env}`} aria-hidden="true" />}
    </span>
  );
}

/** Every migration, one lane per environment, heads marked; virtualised so 10,000 rows scroll smoothly. */
export function RevisionGraph() {
  const { project, statuses, selectedEnv, search, stateFilter, selectedMigration, selectMigration, setSearch, setStateFilter } = useApp();
  const envs = useMemo(() => project?.environments.map((e) => e.name) ?? [], [project]);
  const rows = useMemo(() => (project ? buildGraph(project, statuses, envs) : []), [project, statuses, envs]);
  const visible = useMemo(() => filterGraph(rows, search, stateFilter), [rows, search, stateFilter]);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: visible.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  const selectedIndex = visible.findIndex((r) => r.name === selectedMigration);
  const noDown = useMemo(() => new Set(project?.migrations.filter((m) => !m.hasDownSql).map((m) => m.name) ?? []), [project]);
  const jumps = useMemo(() => jumpTargets(rows, envs), [rows, envs]);

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

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const last = visible.length - 1;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? last : Math.min(last, Math.max(0, selectedIndex + (e.key === 'ArrowDown' ? 1 : -1)));
    if (visible[next]) selectMigration(visible[next]!.name);
  };

  return (
    <section className="graph" aria-label="Revision graph">
      <GraphToolbar total={rows.length} shown={visible.length} jumps={jumps} onJump={(name) => { setSearch(''); setStateFilter('all'); selectMigration(name); }} />
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
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = visible[item.index]!;
            const selected = row.name === selectedMigration;
            return (
              <div
                key={row.name}
                id={`row-${row.name}`}
                role="option"
                aria-selected={selected}
                aria-label={rowLabel(row, envs, noDown.has(row.name) ? 'no down.sql' : undefined)}
                className={`graph-row ${selected ? 'selected' : ''} ${row.branch ? 'branch' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => selectMigration(row.name)}
                data-migration={row.name}
              >
                {envs.map((env) => <Lane key={env} row={row} env={env} selected={env === selectedEnv} />)}
                {/* Drawn by CSS: the name (read aloud) already holds this timestamp. */}
                <span className="graph-date" data-label={folderDate(row.name) ?? ''} aria-hidden="true" />
                <span className="graph-name" title={row.name}>
                  {row.branch && <BranchIcon title="Applied in a database but not in the migrations folder" />}
                  {row.name}
                </span>
                {/* Drawn by CSS and said in the row's name (rowLabel): one reading, in order. */}
                {noDown.has(row.name) && <span className="badge warn row-badge" data-label="no down.sql" title="No down.sql: it cannot be rolled back" aria-hidden="true" />}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
