import type { EnvironmentStatusDto, MigrationStateDto, ProjectDto } from '../../../../electron/shared/dto.ts';
import type { StateFilter } from '../../store/graph-slice.ts';

/** One row of the revision graph: a migration, its state in every environment, and which heads sit on it. */
export interface GraphRow {
  name: string;
  /** In the migrations folder. */
  local: boolean;
  /** Applied somewhere but absent from the folder: drawn on a side branch. */
  branch: boolean;
  states: Record<string, MigrationStateDto | null>;
  heads: string[];
}

export const STATE_GLYPH: Record<MigrationStateDto, string> = {
  applied: '●', pending: '○', failed: '✕', edited: '✎', 'missing-locally': '◆', 'rolled-back': '↺',
};

export const STATE_LABEL: Record<MigrationStateDto, string> = {
  applied: 'applied', pending: 'pending', failed: 'failed', edited: 'edited after apply', 'missing-locally': 'missing locally', 'rolled-back': 'rolled back',
};

const PROBLEMS = new Set<MigrationStateDto>(['failed', 'edited', 'missing-locally']);

/** Every migration of the folder and of each environment's history, in name (time) order. */
export function buildGraph(project: ProjectDto, statuses: Record<string, EnvironmentStatusDto>, envs: string[]): GraphRow[] {
  const rows = new Map<string, GraphRow>();
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) {
      r = { name, local: false, branch: false, states: Object.fromEntries(envs.map((e) => [e, null])), heads: [] };
      rows.set(name, r);
    }
    return r;
  };
  for (const m of project.migrations) row(m.name).local = true;
  for (const env of envs) {
    const s = statuses[env];
    if (!s) continue;
    for (const m of s.migrations) {
      const r = row(m.name);
      r.states[env] = m.state;
      if (m.state === 'missing-locally') r.branch = true;
    }
    if (s.head) row(s.head).heads.push(env);
  }
  return [...rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Search (substring, case-insensitive) and state filter, as the graph's toolbar applies them. */
export function filterGraph(rows: GraphRow[], search: string, filter: StateFilter): GraphRow[] {
  const q = search.trim().toLowerCase();
  return rows.filter((r) => {
    if (q && !r.name.toLowerCase().includes(q)) return false;
    if (filter === 'all') return true;
    const states = Object.values(r.states);
    if (filter === 'problems') return states.some((s) => s !== null && PROBLEMS.has(s));
    return states.includes(filter);
  });
}
