import type { CheckReportDto } from '../../shared/dto.ts';
import type { Db } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import { openProject } from '../index.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { checkExitCode, runCheck } from './run-check.ts';
import { throwawayFor } from './throwaway.ts';
import { renderMarkdown, summaryLine } from './render-report.ts';

export interface CheckRequest {
  base?: string | undefined;
  all?: boolean | undefined;
  only?: string[] | undefined;
}

/**
 * The service's `project/check`: the project re-read from disk (the check is about what is there now), compared with
 * `env` when given (read through the host's own session, so an embedded database is not opened twice), the throwaway
 * on that environment's server or embedded.
 */
export async function checkOperation(
  projectDir: string,
  req: CheckRequest,
  env: Environment | undefined,
  use: <T>(env: Environment, fn: (db: Db) => Promise<T>) => Promise<T>,
): Promise<CheckReportDto> {
  const open = await openProject(projectDir);
  const environment = env ? await use(env, (db) => readEnvironmentStatus(db, env, open.folder)) : undefined;
  const throwaway = throwawayFor(env);
  const report = await runCheck(open, { ...req, environment, throwaway });
  return { ...report, summary: summaryLine(report), exitCode: checkExitCode(report), markdown: renderMarkdown(report) };
}
