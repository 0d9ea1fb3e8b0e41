import type { Command } from 'commander';
import { basename, relative } from 'node:path';
import { createMigration, generateDownSql, withEnvironment } from '../../engine/index.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { usesShadowCache } from '../../engine/project/environments.ts';
import { environmentsFromOptions, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { bold, dim, note, printJson, say, yellow } from '../output.ts';

export function registerNew(program: Command): void {
  withCommonOptions(program.command('new').argument('<name>', 'what the migration does, e.g. add_patient_notes'))
    .description('Create a migration from schema.prisma changes: migration.sql and its down.sql.')
    .option('--empty', 'write an empty migration.sql and down.sql to fill in by hand')
    .option('--dry-run', 'print what would be written, write nothing')
    .option('--json', 'print { name, upSql, downSql, warnings } as JSON')
    .addHelpText('after', `
The SQL is the difference between the migration history (replayed on a shadow database) and schema.prisma, as
Prisma computes it. The environment's database is only read (for Prisma's data-loss warnings): unlike
prisma migrate dev, nothing is reset. Nothing is written when schema.prisma matches the history.

Examples:
  $ godwit new add_patient_notes
  $ godwit new backfill_emails --empty
  $ godwit new add_index --dry-run --env test`)
    .action(async (name: string, _o, cmd: Command) => {
      const opts = optionsOf<{ empty?: boolean; dryRun?: boolean }>(cmd);
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const schemaName = relative(open.project.dir, open.project.schemaPath) || basename(open.project.schemaPath);
      if (!opts.empty) note(`Comparing ${schemaName} with the migration history, replayed on a shadow database beside ${env!.name} (${env!.display})…`);
      const created = await withEnvironment(env!, (db) => createMigration(db, open.project, open.folder, name, { empty: opts.empty, write: !opts.dryRun, shadowCache: usesShadowCache(env!) }));
      if (!created) {
        if (opts.json) printJson(null);
        else say(`${schemaName} matches the migration history: no migration needed, nothing written.`);
        return;
      }
      if (opts.json) return printJson(created);
      for (const w of [...created.warnings, ...created.unexecutable]) say(yellow(`Warning: ${w}`));
      say(`${bold('migration.sql')}\n${created.upSql}\n${bold('down.sql')}\n${created.downSql}`);
      say(created.written ? `Wrote ${relative(process.cwd(), created.dir) || created.dir}/ (migration.sql, down.sql).` : dim('Dry run: nothing written.'));
    });

  withCommonOptions(program.command('down-sql').argument('<migration>', 'the migration to reverse'))
    .description('Generate a down.sql for a migration from the schema before and after it, for review.')
    .option('--write', 'save it as <migration>/down.sql (refuses to overwrite unless --force)')
    .option('--force', 'with --write, replace an existing down.sql')
    .addHelpText('after', `
Both states are replayed on shadow databases; your databases are not changed. Data changes the migration made
(backfills, updates) cannot be reversed from the schema: read the script before you save it.

Examples:
  $ godwit down-sql 20250412090000_create_booking_requests
  $ godwit down-sql 20250412090000_create_booking_requests --write`)
    .action(async (migration: string, _o, cmd: Command) => {
      const opts = optionsOf<{ write?: boolean; force?: boolean }>(cmd);
      if (opts.force && !opts.write) throw new GodwitError('bad-options', '--force only applies with --write (it replaces an existing down.sql); without --write nothing is written.');
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const result = await withEnvironment(env!, (db) => generateDownSql(db, open.project, open.folder, migration, { write: opts.write, overwrite: opts.force, shadowCache: usesShadowCache(env!) }));
      process.stdout.write(result.sql);
      if (result.written) process.stderr.write(`Wrote ${relative(process.cwd(), result.path)}.\n`);
    });
}
