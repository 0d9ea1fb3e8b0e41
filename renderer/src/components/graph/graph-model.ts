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

const NO_HEADS: readonly string[] = Object.freeze([]);
const byName = (a: GraphRow, b: GraphRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Every migration of the folder and of each environment's history, in name (time) order. */
export function buildGraph(project: ProjectDto, statuses: Record<string, EnvironmentStatusDto>, envs: string[]): GraphRow[] {
  // Built for 10,000 rows on every landing of the statuses: one small object per row, no sort unless a history has
  // names the folder lacks (the folder comes in name order).
  const blank: Record<string, MigrationStateDto | null> = {};
  for (const env of envs) blank[env] = null;
  const rows = new Map<string, GraphRow>();
  const list: GraphRow[] = [];
  let sorted = true;
  const row = (name: string) => {
    let r = rows.get(name);
    if (!r) {
      r = { name, local: false, branch: false, states: { ...blank }, heads: NO_HEADS as string[] };
      if (list.length && !(list[list.length - 1]!.name < name)) sorted = false;
      rows.set(name, r);
      list.push(r);
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
    if (s.head) {
      const r = row(s.head);
      r.heads = r.heads === NO_HEADS ? [env] : [...r.heads, env];
    }
  }
  return sorted ? list : list.sort(byName);
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

/** A row as a screen reader should say it: "name — dev: applied, prod: pending; head of dev". */
export function rowLabel(row: GraphRow, envs: string[], badge?: string): string {
  const states = envs.map((e) => `${e}: ${row.states[e] ? STATE_LABEL[row.states[e]!] : 'not in its history'}`).join(', ');
  const heads = row.heads.length ? `; head of ${row.heads.join(' and ')}` : '';
  // A badge's words follow the name as they do on screen: the spoken name holds the visible text in order.
  return `${row.name}${badge ? ` ${badge}` : ''}${row.branch ? ' (not in the folder)' : ''} — ${states}${heads}`;
}

/** Lane width in pixels: wide enough for the environment's name in its head pill. */
export function laneWidth(env: string): number {
  return Math.min(168, Math.max(72, 34 + env.length * 7.5));
}

/** "2025-04-19 09:00" from Prisma's folder name prefix (YYYYMMDDhhmmss_…), or null for another naming scheme. */
export function folderDate(name: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})\d{2}_/.exec(name);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31 || Number(m[4]) > 23 || Number(m[5]) > 59) return null;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
}

/** Where the graph's "Jump to" menu goes: each environment's head and its first pending migration. */
export function jumpTargets(rows: GraphRow[], envs: string[]): { label: string; name: string }[] {
  return envs.flatMap((env) => {
    const head = rows.find((r) => r.heads.includes(env));
    const pending = rows.find((r) => r.states[env] === 'pending' || r.states[env] === 'rolled-back');
    return [
      ...(head ? [{ label: `${env}: head`, name: head.name }] : []),
      ...(pending ? [{ label: `${env}: first pending`, name: pending.name }] : []),
    ];
  });
}
