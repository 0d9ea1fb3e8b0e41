import type { MigrationsFolder } from '../migrations/read-folder.ts';
import type { EnvironmentStatus } from '../status/environment-status.ts';
import { IN_DATABASE } from '../status/migration-state.ts';
import type { CheckFinding } from './types.ts';

/** The migrations folder as the base commit had it: each migration's migration.sql blob and text reader. */
export interface BaseFolder {
  ref: string;
  /** Migration name → blob id of its migration.sql in the base. */
  upBlobs: Map<string, string>;
  /** Migration name → blob id of its migration.sql in the working tree (as git would store it). */
  workingBlobs: Map<string, string>;
  readBlob(blob: string): Promise<string>;
}

const PRISMA_NAME = /^(\d{14})_[A-Za-z0-9_-]+$/;
/** Prisma's documented baseline folder (`0_init`) sorts before every timestamp and is fine. */
const BASELINE_NAME = /^0+_[A-Za-z0-9_-]+$/;

/** Why a 14-digit prefix is not a real UTC time, or null when it is one. */
function badTimestamp(ts: string): string | null {
  const [y, mo, d, h, mi, s] = [ts.slice(0, 4), ts.slice(4, 6), ts.slice(6, 8), ts.slice(8, 10), ts.slice(10, 12), ts.slice(12, 14)].map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const ok = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return ok ? null : `${ts} is not a valid date and time`;
}

const timestampOf = (name: string): string | null => /^(\d+)_/.exec(name)?.[1] ?? null;

/** Why a name is not in Prisma's form (or the folder's own numbering), or null when it is. */
function badName(name: string, numberedWidth: number | null): string | null {
  const m = PRISMA_NAME.exec(name);
  if (m) return badTimestamp(m[1]!);
  if (BASELINE_NAME.test(name)) return null;
  const lead = /^(\d+)_(.*)$/.exec(name);
  if (lead && lead[1]!.length === numberedWidth && /^[A-Za-z0-9_-]+$/.test(lead[2]!)) return null;
  if (lead && (lead[1]!.length === 14 || lead[1]!.length === numberedWidth)) {
    const odd = [...new Set(lead[2]!.replace(/[A-Za-z0-9_-]/g, ''))].map((c) => JSON.stringify(c)).join(', ');
    return `after its number it has characters other than letters, digits, _ and - (${odd})`;
  }
  return 'it does not start with a 14-digit timestamp and an underscore';
}

/**
 * Folder names not in Prisma's form, and timestamps used twice. Needs no base. Prisma runs any folder name in sort
 * order: a history numbered its own way throughout (umami's 01_init, 02_…, all as wide) is consistent and fine.
 */
export function namingFindings(folder: MigrationsFolder): CheckFinding[] {
  const out: CheckFinding[] = [];
  const seen = new Map<string, string>();
  const widths = new Set(folder.migrations.map(({ name }) => /^(\d+)_/.exec(name)?.[1]?.length ?? -1));
  const numberedWidth = widths.size === 1 && !widths.has(-1) && !widths.has(14) ? [...widths][0]! : null;
  for (const { name } of folder.migrations) {
    const why = badName(name, numberedWidth);
    if (why) out.push({ rule: 'ordering/bad-name', migration: name, file: null, line: null, message: `"${name}" is not a Prisma migration name (YYYYMMDDHHMMSS_name): ${why}.` });
    const ts = timestampOf(name);
    if (ts === null || BASELINE_NAME.test(name)) continue;
    const first = seen.get(ts);
    if (first) out.push({ rule: 'ordering/duplicate-timestamp', migration: name, file: null, line: null, message: `${name} has the same timestamp as ${first}: only their names decide which runs first.` });
    else seen.set(ts, name);
  }
  return out;
}

/** The 1-based line where two texts first differ, and that line of the new text. */
function firstDifference(before: string, after: string): { line: number; text: string } {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { line: i + 1, text: b[i] ?? '' };
}

/** Out-of-order additions, edits and removals of base migrations. */
export async function baseFindings(folder: MigrationsFolder, base: BaseFolder): Promise<CheckFinding[]> {
  const out: CheckFinding[] = [];
  const baseNames = [...base.upBlobs.keys()].sort();
  const newest = baseNames.at(-1);
  const local = new Map(folder.migrations.map((m) => [m.name, m]));
  for (const m of folder.migrations) {
    if (base.upBlobs.has(m.name)) continue;
    if (newest !== undefined && m.name < newest) {
      out.push({
        rule: 'ordering/out-of-order', migration: m.name, file: null, line: null,
        message: `${m.name} is new since ${base.ref} but sorts before ${newest}, which ${base.ref} already has: give it a timestamp after that one.`,
      });
    }
  }
  for (const name of baseNames) {
    const now = local.get(name);
    if (!now) {
      out.push({ rule: 'integrity/removed', migration: name, file: 'migration.sql', line: null, message: `${name} is in ${base.ref} but no longer in the migrations folder.` });
      continue;
    }
    if (base.workingBlobs.get(name) === base.upBlobs.get(name)) continue;
    const diff = firstDifference(await base.readBlob(base.upBlobs.get(name)!), now.upSql);
    out.push({
      rule: 'integrity/edited', migration: name, file: 'migration.sql', line: diff.line,
      message: `${name}/migration.sql was changed after it reached ${base.ref} (first change at line ${diff.line}): write a new migration instead.`,
      sql: diff.text,
    });
  }
  return out;
}

/** The folder against one environment's history: edited, missing and failed migrations, and pending ones out of order. */
export function environmentFindings(status: EnvironmentStatus): CheckFinding[] {
  const out: CheckFinding[] = [];
  const env = status.environment;
  const applied = status.migrations.filter((m) => IN_DATABASE.has(m.state)).map((m) => m.name).sort();
  const head = applied.at(-1);
  for (const m of status.migrations) {
    const at = { migration: m.name, file: null, line: null } as const;
    if (m.state === 'edited') out.push({ rule: 'integrity/env-edited', ...at, file: 'migration.sql', message: `${m.name} was applied in ${env} with a different migration.sql (checksum differs).` });
    else if (m.state === 'missing-locally') out.push({ rule: 'integrity/env-missing-locally', ...at, message: `${env} applied ${m.name}, which the migrations folder does not have.` });
    else if (m.state === 'failed') out.push({ rule: 'integrity/env-failed', ...at, message: `${m.name} failed in ${env}: resolve it (godwit resolve) before the next deploy.` });
    else if ((m.state === 'pending' || m.state === 'rolled-back') && head !== undefined && m.name < head) {
      out.push({ rule: 'ordering/out-of-order', ...at, message: `${m.name} is pending in ${env} but sorts before ${head}, which ${env} already applied.` });
    }
  }
  return out;
}
