import { basename } from 'node:path';
import type { EnvironmentDto, EnvironmentStatusDto, FailureDto, PreviewDto, ProjectDto } from '../../shared/dto.ts';
import type { OpenProject, Plan } from '../index.ts';
import { resolveEnvironment } from '../project/environments.ts';
import { reachOf } from '../db/environment-reach.ts';
import { redactSecrets } from '../util/redact.ts';
import { MigrationFailedError, type StatementFailure } from '../apply/migration-failure.ts';
import { GodwitError, describeError } from '../util/errors.ts';
import type { Result } from '../../shared/contract.ts';
import { renderPreview } from '../apply/render-preview.ts';
import type { PlanAnalysis } from '../analysis/types.ts';
import type { Environment } from '../project/environments.ts';
import { planBackupDto, stepBackupDto } from '../backup/backup-dto.ts';

/**
 * The one door secrets could leave by: every DTO field that can carry a URL or an error text goes through
 * redactSecrets here, whatever the outcome (resolved, unresolvable, failed).
 */
export function projectDto(open: OpenProject, isDemo: boolean, secretStorage: string, stored: ReadonlySet<string>, reading: number): ProjectDto {
  const environments: EnvironmentDto[] = open.project.environments.map((cfg) => {
    let location = cfg.url;
    let error: string | undefined;
    let reach: EnvironmentDto['reach'];
    let isProtected = cfg.protected;
    try {
      const env = resolveEnvironment(open.project, cfg);
      isProtected = env.protected; // also when it reaches a protected environment's database under another name
      location = env.display;
      reach = reachOf(cfg, env.target.kind === 'postgres' ? env.target.url : undefined, stored.has(cfg.name));
    } catch (err) {
      error = describeError(err); // an unset variable or an unparsable URL: this environment shows it, the others work
    }
    return {
      name: cfg.name, protected: isProtected, url: redactSecrets(cfg.url), location: redactSecrets(location),
      embedded: cfg.url.startsWith('embedded:'), passwordStored: stored.has(cfg.name), ...(error ? { error: redactSecrets(error) } : {}),
      ...(reach ? { reach } : {}),
    };
  });
  return {
    dir: open.project.dir,
    name: basename(open.project.dir),
    isDemo,
    reading,
    secretStorage,
    environments,
    migrations: open.folder.migrations.map((m) => ({ name: m.name, hasDownSql: m.hasDownSql })),
  };
}

/** An environment's status as the page gets it: its location redacted. */
export function statusDto(s: EnvironmentStatusDto): EnvironmentStatusDto {
  return {
    ...s, location: redactSecrets(s.location), ...(s.error === undefined ? {} : { error: redactSecrets(s.error) }),
    migrations: s.migrations.map((m) => (m.logs ? { ...m, logs: redactSecrets(m.logs) } : m)),
  };
}

/** An environment that could not be resolved or read: named, located (redacted), and why. */
export function statusErrorDto(env: { name: string; protected: boolean; location: string }, err: unknown): EnvironmentStatusDto {
  const empty = { applied: 0, pending: 0, failed: 0, edited: 0, missingLocally: 0, rolledBack: 0, diverged: false };
  return statusDto({ environment: env.name, protected: env.protected, location: env.location, head: null, migrations: [], summary: empty, drift: null, error: describeError(err) });
}

export function failureDto(f: StatementFailure): FailureDto {
  return { ...f, error: { message: f.error.message, code: f.error.code, detail: f.error.detail, hint: f.error.hint } };
}

export function previewDto(plan: Plan, analysis?: PlanAnalysis, env?: Environment): PreviewDto {
  const backup = planBackupDto(plan, env);
  return {
    environment: plan.environment,
    direction: plan.direction,
    headAfter: plan.headAfter,
    steps: plan.steps.map((s, i) => ({
      name: s.name, file: s.file, transactional: s.script.nonTransactional.length === 0, nonTransactional: s.script.nonTransactional, warnings: s.script.warnings, sql: s.sql,
      unanalysed: s.script.unanalysed, parseError: s.script.parseError,
      ...(analysis ? { analysis: analysis.migrations[i]?.statements ?? [] } : {}),
      ...(s.backup ? { backup: stepBackupDto(s) } : {}),
    })),
    ...(backup ? { backup } : {}),
    sql: renderPreview(plan),
    ...(analysis ? { analysis: { serverVersion: analysis.serverVersion, environmentRead: analysis.environmentRead } } : {}),
  };
}

/** Any error as the contract's failed Result: a one-line message, and the failing statement for a migration. */
export function errorResult(err: unknown): Extract<Result<never>, { ok: false }> {
  if (err instanceof MigrationFailedError) return { ok: false, error: { code: err.code, message: redactSecrets(err.message), failure: failureDto(err.failure) } };
  if (err instanceof GodwitError) return { ok: false, error: { code: err.code, message: redactSecrets(describeError(err)) } };
  if (err && typeof err === 'object' && 'issues' in err) {
    const issue = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues[0];
    return { ok: false, error: { code: 'bad-input', message: redactSecrets(`Invalid input${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'rejected'}.`) } };
  }
  return { ok: false, error: { code: 'internal', message: redactSecrets(describeError(err)) } };
}
