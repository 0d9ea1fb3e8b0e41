/**
 * Why part of a drift may not be drift: the comparison replays the migrations the folder holds, so those the database
 * ran but the folder lacks, or holds edited, are not replayed as they ran. Their objects then show as drift, and the
 * reconcile SQL would drop them (a sweep found it offering DROP TABLE for a missing migration's tables). Null when
 * every applied migration is in the folder as it ran.
 */
export function driftCaveat(summary: { missingLocally: number; edited: number }): string | null {
  const say = (n: number, one: string, many: string) => (n === 1 ? one : `${n} ${many}`);
  const parts: string[] = [];
  if (summary.missingLocally) parts.push(say(summary.missingLocally, '1 migration this database ran is missing from the folder, so what it made shows as drift', 'migrations this database ran are missing from the folder, so what they made shows as drift'));
  if (summary.edited) parts.push(say(summary.edited, '1 migration was edited after it ran and is compared as edited', 'migrations were edited after they ran and are compared as edited'));
  return parts.length ? `Not all of this is drift: ${parts.join('; ')}. Restore those files before running any of this SQL.` : null;
}
