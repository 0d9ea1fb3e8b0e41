import { basename } from 'node:path';
import type { EnvironmentDto, FailureDto, PreviewDto, ProjectDto } from '../../shared/dto.ts';
import type { OpenProject, Plan } from '../index.ts';
import { resolveEnvironment } from '../project/environments.ts';
import { redactSecrets } from '../util/redact.ts';
import type { StatementFailure } from '../apply/migration-failure.ts';
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
