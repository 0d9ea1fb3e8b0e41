import { basename } from 'node:path';
import type { EnvironmentDto, FailureDto, PreviewDto, ProjectDto } from '../../shared/dto.ts';
import type { OpenProject, Plan } from '../index.ts';
import { resolveEnvironment } from '../project/environments.ts';
import { redactSecrets } from '../util/redact.ts';
import { MigrationFailedError, type StatementFailure } from '../apply/migration-failure.ts';
import { GodwitError, describeError } from '../util/errors.ts';
import type { Result } from '../../shared/contract.ts';
import { renderPreview } from '../apply/render-preview.ts';

export function projectDto(open: OpenProject, isDemo: boolean, secretStorage: string, stored: ReadonlySet<string>): ProjectDto {
  const environments: EnvironmentDto[] = open.project.environments.map((cfg) => {
    let location = cfg.url;
    try {
      location = resolveEnvironment(open.project, cfg).display;
    } catch {
      // An unset variable: keep the reference; the status call reports the problem.
    }
    return { name: cfg.name, protected: cfg.protected, url: redactSecrets(cfg.url), location, embedded: cfg.url.startsWith('embedded:'), passwordStored: stored.has(cfg.name) };
  });
  return {
    dir: open.project.dir,
    name: basename(open.project.dir),
    isDemo,
    secretStorage,
    environments,
    migrations: open.folder.migrations.map((m) => ({ name: m.name, hasDownSql: m.downSql !== null })),
  };
}

export function failureDto(f: StatementFailure): FailureDto {
  return { ...f, error: { message: f.error.message, code: f.error.code, detail: f.error.detail, hint: f.error.hint } };
}

export function previewDto(plan: Plan): PreviewDto {
  return {
    environment: plan.environment,
    direction: plan.direction,
    headAfter: plan.headAfter,
    steps: plan.steps.map((s) => ({
      name: s.name, file: s.file, transactional: s.script.nonTransactional.length === 0, nonTransactional: s.script.nonTransactional, warnings: s.script.warnings, sql: s.sql,
    })),
    sql: renderPreview(plan),
  };
}

/** Any error as the contract's failed Result: a one-line message, and the failing statement for a migration. */
export function errorResult(err: unknown): Extract<Result<never>, { ok: false }> {
  if (err instanceof MigrationFailedError) return { ok: false, error: { code: err.code, message: err.message, failure: failureDto(err.failure) } };
  if (err instanceof GodwitError) return { ok: false, error: { code: err.code, message: describeError(err) } };
  if (err && typeof err === 'object' && 'issues' in err) {
    const issue = (err as { issues: { path: PropertyKey[]; message: string }[] }).issues[0];
    return { ok: false, error: { code: 'bad-input', message: `Invalid input${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'rejected'}.` } };
  }
  return { ok: false, error: { code: 'internal', message: describeError(err) } };
}
