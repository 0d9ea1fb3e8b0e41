import { GodwitError } from '../util/errors.ts';
import type { PreparedScript } from './prepare-script.ts';

/**
 * A script the SQL parser refused has no destructive-statement warnings and no transaction check: nothing says what
 * it does. Running it therefore needs the environment's name as confirmation on every environment, as a protected
 * one always does. Checked on the plan decided under the lock, so it covers every front end.
 */
export function requireNameForUnanalysed(
  environment: string,
  confirm: string | undefined,
  steps: readonly { name: string; file: string; script: PreparedScript }[],
): void {
  if (confirm === environment) return;
  const step = steps.find((s) => s.script.unanalysed);
  if (!step) return;
  throw new GodwitError(
    'confirmation-required',
    `${step.name}/${step.file} could not be analysed by the SQL parser (${step.script.parseError}): to run it on ${environment}, confirm with the environment's name.`,
    `On the command line: --yes --confirm ${environment}.`,
  );
}
