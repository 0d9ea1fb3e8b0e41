import type { OpenProject } from '../index.ts';
import type { EnvironmentStatus } from '../status/environment-status.ts';
import { GodwitError } from '../util/errors.ts';
import { filesAt, hashWorkingFiles, openGitBase, readBlob } from './git.ts';
import { baseFindings, environmentFindings, namingFindings, type BaseFolder } from './history-rules.ts';
import { checkReversibility, type ReversibilityProgress } from './reversibility.ts';
import { lintMigrations } from './lint.ts';
import { readCheckConfig, silencingReason } from './check-config.ts';
import { schemaComparer, type SchemaComparer } from './schema-compare.ts';
import { embeddedThrowaway, type ThrowawayFactory } from './throwaway.ts';
import { CHECK_FAMILIES, CHECK_RULES, familyOf, type CheckFamily, type CheckFinding, type CheckReport, type CheckRule } from './types.ts';

export interface CheckOptions {
  /** A git ref: migrations new since it are the ones checked; ordering and edits are judged against it. */
  base?: string | undefined;
  /** Reversibility and lint for every migration, not only those added since the base. */
  all?: boolean | undefined;
  /** Families (`lint`) or rule ids (`ordering/out-of-order`) to run and report; all when absent. */
  only?: string[] | undefined;
  /** An environment's status: its history is compared with the folder (integrity, ordering). */
  environment?: EnvironmentStatus | undefined;
  /** Where reversibility runs; an in-memory PGlite by default. */
  throwaway?: ThrowawayFactory | undefined;
  comparer?: SchemaComparer | undefined;
  onProgress?: ((p: ReversibilityProgress) => void) | undefined;
  /** Aborting it cancels the running statement on the throwaway, which is then dropped; the check throws. */
  signal?: AbortSignal | undefined;
}

/** `--only` as families to run and a filter on what is reported; unknown names are refused with the valid ones. */
export function parseOnly(only: string[] | undefined): { families: CheckFamily[]; keep: (rule: CheckRule) => boolean } {
  const tokens = (only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  if (!tokens.length) return { families: [...CHECK_FAMILIES], keep: () => true };
  for (const t of tokens) {
    if (!(t in CHECK_RULES) && !(CHECK_FAMILIES as readonly string[]).includes(t)) {
      throw new GodwitError('bad-options', `--only ${t}: not a check. Families: ${CHECK_FAMILIES.join(', ')}; rules: ${Object.keys(CHECK_RULES).join(', ')}.`);
    }
  }
  const families = CHECK_FAMILIES.filter((f) => tokens.some((t) => t === f || t.startsWith(`${f}/`)));
  return { families, keep: (rule) => tokens.includes(rule) || tokens.includes(familyOf(rule)) };
}

/** The base commit's migrations folder, with the working tree's blob ids of the migrations both have. */
async function readBaseFolder(open: OpenProject, ref: string): Promise<{ folder: BaseFolder; commit: string }> {
  const base = await openGitBase(open.project.dir, open.folder.dir, ref);
  const prefix = base.migrationsPath ? `${base.migrationsPath}/` : '';
  const upBlobs = new Map<string, string>();
  for (const f of await filesAt(base, base.migrationsPath)) {
    const rest = f.path.slice(prefix.length).split('/');
    if (f.path.startsWith(prefix) && rest.length === 2 && rest[1] === 'migration.sql') upBlobs.set(rest[0]!, f.blob);
  }
  const shared = open.folder.migrations.filter((m) => upBlobs.has(m.name)).map((m) => m.name);
  const hashes = await hashWorkingFiles(base, shared.map((n) => `${prefix}${n}/migration.sql`));
  const workingBlobs = new Map(shared.map((n, i) => [n, hashes[i]!]));
  return { folder: { ref, upBlobs, workingBlobs, readBlob: (blob) => readBlob(base, blob) }, commit: base.commit };
}

/**
 * `godwit check`: ordering, integrity, reversibility and lint of the migrations folder, as one report. Findings
 * godwit.json silences move to `silenced` with their reason.
 */
export async function runCheck(open: OpenProject, opts: CheckOptions = {}): Promise<CheckReport> {
  const { families, keep } = parseOnly(opts.only);
  const config = await readCheckConfig(open.project.dir);
  const runs = (f: CheckFamily) => families.includes(f);
  const base = opts.base !== undefined ? await readBaseFolder(open, opts.base) : null;
  const local = open.folder.migrations;
  const added = local.filter((m) => !base || !base.folder.upBlobs.has(m.name));
  const checked = opts.all || !base ? local : added;
  const checkedNames = new Set(checked.map((m) => m.name));
  const findings: CheckFinding[] = [];
  if (runs('ordering') || runs('integrity')) {
    findings.push(...namingFindings(open.folder));
    if (base) findings.push(...(await baseFindings(open.folder, base.folder)));
    if (opts.environment) findings.push(...environmentFindings(opts.environment));
  }
  const throwaway = opts.throwaway ?? embeddedThrowaway();
  // `--only reversibility/missing-down` needs no throwaway database.
  const needsDatabase = (Object.keys(CHECK_RULES) as CheckRule[]).some((r) => familyOf(r) === 'reversibility' && r !== 'reversibility/missing-down' && keep(r));
  if (runs('reversibility')) {
    const factory = needsDatabase ? throwaway : null;
    findings.push(...(await checkReversibility(open.folder, checkedNames, factory, opts.comparer ?? schemaComparer, opts.onProgress, opts.signal)));
  }
  if (runs('lint')) {
    // Added migrations deploy together: a table one creates is new to the next. With --all each stands alone.
    const groups = base && !opts.all ? [checked] : checked.map((m) => [m]);
    findings.push(...(await lintMigrations(groups.filter((g) => g.length))));
  }
  const reported = findings.filter((f) => runs(familyOf(f.rule)) && keep(f.rule));
  const order = (f: CheckFinding) => CHECK_FAMILIES.indexOf(familyOf(f.rule));
  reported.sort((a, b) => order(a) - order(b));
  const active: CheckFinding[] = [];
  const silenced: CheckFinding[] = [];
  for (const f of reported) {
    const reason = silencingReason(config, f);
    if (reason === null) active.push(f);
    else silenced.push({ ...f, silencedBecause: reason });
  }
  return {
    base: base && opts.base !== undefined ? { ref: opts.base, commit: base.commit } : null,
    throwaway: runs('reversibility') && needsDatabase && checked.some((m) => m.hasDownSql) ? throwaway.kind : null,
    environment: opts.environment?.environment ?? null,
    families,
    added: added.map((m) => m.name),
    checked: checked.map((m) => m.name),
    findings: active,
    silenced,
  };
}

/** 0 clean, 1 findings (silenced ones do not count); 2 is for errors, thrown before a report exists. */
export const checkExitCode = (report: CheckReport): 0 | 1 => (report.findings.length ? 1 : 0);
