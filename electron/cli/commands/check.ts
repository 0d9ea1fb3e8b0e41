import type { Command } from 'commander';
import { readEnvironmentStatus } from '../../engine/status/environment-status.ts';
import { LAST_USE, environmentsFromOptions, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { withEnvironment } from '../../engine/project/with-environment.ts';
import { checkExitCode, runCheck } from '../../engine/check/run-check.ts';
import { throwawayFor } from '../../engine/check/throwaway.ts';
import { renderMarkdown, renderText, summaryLine } from '../../engine/check/render-report.ts';
import { CHECK_FAMILIES } from '../../engine/check/types.ts';
import { note, printJson, say } from '../output.ts';

interface CheckFlags {
  base?: string;
  markdown?: boolean;
  only?: string;
  all?: boolean;
}

export function registerCheck(program: Command): void {
  withCommonOptions(program.command('check'))
    .description('The pull-request gate: ordering, integrity, reversibility (up, down, up on a throwaway database) and lint of the migrations.')
    .option('--base <ref>', 'a git ref (e.g. origin/main): check the migrations added since it, and edits to those it has')
    .option('--json', 'print the report as JSON: { findings: [{ rule, migration, file, line, message, sql }], silenced, … }')
    .option('--markdown', 'print the report as Markdown, for a pull-request comment')
    .option('--only <checks>', `comma-separated families (${CHECK_FAMILIES.join(', ')}) or rule ids`)
    .option('--all', 'reversibility and lint for every migration, not only those added since --base')
    .addHelpText('after', `
Without --base every migration is checked. With --env or --url the folder is also compared with that database's
history, and the throwaway database is created on its server (the role needs CREATEDB) unless the environment is
protected; otherwise reversibility runs on an embedded PGlite. Silence a rule for one migration in godwit.json, with a reason the report shows:
  { "check": { "ignore": [{ "rule": "lint/rewrite", "migration": "20250301090000_x", "reason": "table has 40 rows" }] } }
Exit code: 0 no findings, 1 findings, 2 error (not a git repository, unknown ref, unreachable database, …).

Examples:
  $ godwit check --base origin/main
  $ godwit check --base origin/main --url "$DATABASE_URL" --markdown > report.md
  $ godwit check --only reversibility --all`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<CheckFlags>(cmd);
      if (opts.json && opts.markdown) throw new GodwitError('bad-options', 'Choose one of --json and --markdown.');
      const open = await projectFromOptions(opts);
      const useDatabase = opts.url !== undefined || (opts.env?.length ?? 0) > 0;
      if (opts.env && opts.env.length > 1) throw new GodwitError('bad-options', 'check compares with one environment: give --env once.');
      const env = useDatabase ? environmentsFromOptions(open, opts)[0]! : undefined;
      const environment = env ? await withEnvironment(env, (db) => readEnvironmentStatus(db, env, open.folder), LAST_USE) : undefined;
      const throwaway = throwawayFor(env);
      const quiet = opts.json === true;
      // Ctrl+C cancels the running statement and drops the throwaway database before exiting (exit 2).
      const controller = new AbortController();
      const onSignal = () => (controller.signal.aborted ? process.exit(130) : controller.abort());
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const report = await runCheck(open, {
        signal: controller.signal,
        base: opts.base,
        all: opts.all,
        only: opts.only === undefined ? undefined : [opts.only],
        environment,
        throwaway,
        onProgress: quiet ? undefined : (p) => {
          if (p.step === 'throwaway') note(`throwaway database: ${p.display}`);
          else if (p.step === 'up') note(`reversibility [${p.index}/${p.total}] ${p.name}`);
        },
      }).finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
      if (opts.json) printJson({ summary: summaryLine(report), exitCode: checkExitCode(report), ...report });
      else if (opts.markdown) process.stdout.write(renderMarkdown(report));
      else say(renderText(report));
      process.exitCode = checkExitCode(report);
    });
}
