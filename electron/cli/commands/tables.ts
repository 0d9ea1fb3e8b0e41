import type { Command } from 'commander';
import { withEnvironment } from '../../engine/project/with-environment.ts';
import { listRelations, listsAccessMethod, type RelationKindFilter } from '../../engine/introspect/list-relations.ts';
import { describeRelations } from '../../engine/introspect/describe-relation.ts';
import { renderListing } from '../../engine/introspect/render-listing.ts';
import { renderDescriptions } from '../../engine/introspect/render-describe.ts';
import { environmentsFromOptions, LAST_USE, optionsOf, projectSettingsFromOptions, withCommonOptions } from '../context.ts';
import { printJson } from '../output.ts';

interface KindOptions {
  views?: boolean;
  matviews?: boolean;
  indexes?: boolean;
  sequences?: boolean;
  foreign?: boolean;
  allKinds?: boolean;
  plus?: boolean;
}

function kindsOf(o: KindOptions, pattern: string | undefined): RelationKindFilter[] {
  if (o.allKinds) return ['tables', 'views', 'matviews', 'indexes', 'sequences', 'foreign'];
  const picked: RelationKindFilter[] = [];
  if (o.views) picked.push('views');
  if (o.matviews) picked.push('matviews');
  if (o.indexes) picked.push('indexes');
  if (o.sequences) picked.push('sequences');
  if (o.foreign) picked.push('foreign');
  void pattern;
  return picked.length ? picked : ['tables'];
}

export function registerTables(program: Command): void {
  withCommonOptions(program.command('tables').argument('[pattern]', 'psql name pattern: schema.name, * and ?, "Quoted"'))
    .description('List relations as psql\'s \\dt (\\dv, \\dm, \\di, \\ds) shows them.')
    .option('--views', 'views (\\dv)')
    .option('--matviews', 'materialized views (\\dm)')
    .option('--indexes', 'indexes (\\di)')
    .option('--sequences', 'sequences (\\ds)')
    .option('--foreign', 'foreign tables (\\dE)')
    .option('--all-kinds', 'tables, views, materialized views, indexes, sequences and foreign tables')
    .option('--plus', 'also persistence, access method, size and description (\\dt+)')
    .option('--json', 'print the rows as JSON')
    .addHelpText('after', `
Patterns follow psql: unquoted names are lower-cased, * and ? are wildcards, schema.name picks a schema, and without a
schema only relations visible on the search path are listed.

Examples:
  $ godwit tables                          \\dt on dev
  $ godwit tables 'billing.*' --plus --env prod
  $ godwit tables --indexes 'users*'`)
    .action(async (pattern: string | undefined, _o, cmd: Command) => {
      const opts = optionsOf<KindOptions>(cmd);
      const kinds = kindsOf(opts, pattern);
      const open = await projectSettingsFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const rows = await withEnvironment(env!, (db) => listRelations(db, { pattern, kinds, verbose: opts.plus }), LAST_USE);
      if (opts.json) return printJson(rows);
      process.stdout.write(renderListing(rows, { verbose: opts.plus, withTable: kinds.includes('indexes'), withAccessMethod: listsAccessMethod(kinds), pattern }));
    });

  withCommonOptions(program.command('describe').argument('<name>', 'a relation name or psql pattern'))
    .description('Describe a table, view, materialized view, sequence or index as psql\'s \\d shows it.')
    .option('--plus', 'also storage, compression, statistics target, description, options, view definition (\\d+)')
    .option('--json', 'print the same facts structured')
    .addHelpText('after', `
Examples:
  $ godwit describe users
  $ godwit describe 'billing.invoices' --plus --env prod
  $ godwit describe '"Customers"' --json`)
    .action(async (name: string, _o, cmd: Command) => {
      const opts = optionsOf<{ plus?: boolean; json?: boolean }>(cmd);
      const open = await projectSettingsFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      // Comments show with --plus, and are among the facts --json gives.
      const descriptions = opts.plus === true || opts.json === true;
      const found = await withEnvironment(env!, (db) => describeRelations(db, name, { descriptions }), LAST_USE);
      if (opts.json) return printJson(found);
      process.stdout.write(renderDescriptions(found, opts.plus === true));
    });
}
