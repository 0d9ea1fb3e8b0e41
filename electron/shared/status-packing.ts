/**
 * Every environment's status, packed for the wire (`project/overview`) and unpacked again on the page. Three statuses
 * of 10,000 migrations are 30,000 objects repeating the same names and keys, ~5 MB of JSON; packed, a migration is a
 * letter of a string and two small numbers, and each name travels once, in the project the overview carries.
 * Lossless: unpacking gives back exactly the statuses that were packed (status-packing.test.ts).
 */
import type { EnvironmentStatusDto, MigrationStateDto, MigrationStatusDto, PackedEnvironmentStatusDto, PackedStatusesDto, ProjectDto } from './dto.ts';

const STATE_CODE: Record<MigrationStateDto, string> = {
  applied: 'a', pending: 'p', failed: 'f', 'rolled-back': 'r', edited: 'e', 'missing-locally': 'm',
};
const CODE_STATE = new Map(Object.entries(STATE_CODE).map(([state, code]) => [code, state as MigrationStateDto]));
/** A name of the list that this environment's status does not list. */
const ABSENT = '-';
const CHECKSUM_CODE = { true: 't', false: 'f', null: '-' } as const;

/**
 * Packs statuses read against the folder whose migrations `project` lists (in its order). A status's migrations are
 * places in one name list: the folder's names, then `extraNames` (names only some history has).
 */
export function packStatuses(project: Pick<ProjectDto, 'migrations'>, statuses: EnvironmentStatusDto[]): PackedStatusesDto {
  const place = new Map<string, number>();
  project.migrations.forEach((m, i) => place.set(m.name, i));
  const extraNames: string[] = [];
  for (const s of statuses) {
    for (const m of s.migrations) {
      if (!place.has(m.name)) {
        place.set(m.name, project.migrations.length + extraNames.length);
        extraNames.push(m.name);
      }
    }
  }
  const size = project.migrations.length + extraNames.length;
  return { extraNames, environments: statuses.map((s) => packOne(s, place, size)) };
}

function packOne({ migrations, ...rest }: EnvironmentStatusDto, place: Map<string, number>, size: number): PackedEnvironmentStatusDto {
  const states = new Array<string>(size).fill(ABSENT);
  const places: number[] = [];
  let ascending = true;
  let checksums = '';
  const appliedAt: (number | null)[] = [];
  const durationMs: (number | null)[] = [];
  const logs: [number, string][] = [];
  let previous = 0;
  migrations.forEach((m, i) => {
    const at = place.get(m.name)!;
    if (places.length && at <= places[places.length - 1]!) ascending = false;
    places.push(at);
    states[at] = STATE_CODE[m.state];
    checksums += CHECKSUM_CODE[String(m.checksumOk) as keyof typeof CHECKSUM_CODE];
    if (m.appliedAt === null) appliedAt.push(null);
    else {
      const ms = Date.parse(m.appliedAt);
      appliedAt.push(ms - previous);
      previous = ms;
    }
    durationMs.push(m.durationMs);
    if (m.logs !== undefined) logs.push([i, m.logs]);
  });
  // An environment with nothing listed (unreachable, no history, no folder) sends no letters at all.
  return { ...rest, migrations: { states: places.length ? states.join('') : '', ...(ascending ? {} : { order: places }), checksums, appliedAt, durationMs, logs } };
}

/** The statuses as they were packed, each migration whole again, from the overview's project and packed statuses. */
export function unpackStatuses(project: Pick<ProjectDto, 'migrations'>, packed: PackedStatusesDto): EnvironmentStatusDto[] {
  const folder = project.migrations;
  const nameAt = (at: number) => (at < folder.length ? folder[at]!.name : packed.extraNames[at - folder.length]!);
  return packed.environments.map(({ migrations: p, ...rest }): EnvironmentStatusDto => {
    let places = p.order;
    if (!places) {
      places = [];
      for (let at = 0; at < p.states.length; at++) if (p.states.charCodeAt(at) !== 45 /* ABSENT */) places.push(at);
    }
    const logs = new Map(p.logs);
    let previous = 0;
    const migrations = new Array<MigrationStatusDto>(places.length);
    for (let i = 0; i < places.length; i++) {
      const at = places[i]!;
      const local = at < folder.length;
      const delta = p.appliedAt[i]!;
      let appliedAt: string | null = null;
      if (delta !== null) {
        previous += delta;
        appliedAt = new Date(previous).toISOString();
      }
      const c = p.checksums.charCodeAt(i);
      const m: MigrationStatusDto = {
        name: nameAt(at), local, hasDownSql: local && folder[at]!.hasDownSql, state: CODE_STATE.get(p.states[at]!)!,
        appliedAt, durationMs: p.durationMs[i]!, checksumOk: c === 116 /* t */ ? true : c === 102 /* f */ ? false : null,
      };
      const log = logs.get(i);
      if (log !== undefined) m.logs = log;
      migrations[i] = m;
    }
    return { ...rest, migrations };
  });
}
