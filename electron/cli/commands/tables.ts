import type { Command } from 'commander';
import {
  compareSchemas, describeRelations, listRelations, listsAccessMethod, readSchemaSnapshot, renderListing,
  withEnvironment, type RelationKindFilter,
} from '../../engine/index.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { renderDescriptions } from '../../engine/introspect/render-describe.ts';
import { environmentsFromOptions, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { bold, green, printJson, red, say, table, yellow } from '../output.ts';

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
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const rows = await withEnvironment(env!, (db) => listRelations(db, { pattern, kinds, verbose: opts.plus }));
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
      const opts = optionsOf<{ plus?: boolean }>(cmd);
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const found = await withEnvironment(env!, (db) => describeRelations(db, name));
      if (opts.json) return printJson(found);
      process.stdout.write(renderDescriptions(found, opts.plus === true));
    });

  withCommonOptions(program.command('compare'), { many: true })
    .description('Compare two environments\' schemas: tables, columns, types, defaults, nullability, indexes, constraints.')
    .option('--json', 'print the differences as JSON')
    .addHelpText('after', `
Exit code 0 when the schemas match, 1 when they differ, 2 on error.

Examples:
  $ godwit compare --env dev --env prod
  $ godwit compare --env test --env prod --json`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<Record<string, never>>(cmd);
      const open = await projectFromOptions(opts);
      const envs = environmentsFromOptions(open, opts);
      if (envs.length !== 2) throw new GodwitError('bad-options', 'Name exactly two environments: --env A --env B.');
      const [a, b] = [envs[0]!, envs[1]!];
      const snapA = await withEnvironment(a, readSchemaSnapshot);
      const snapB = await withEnvironment(b, readSchemaSnapshot);
      const diffs = compareSchemas(snapA, snapB);
      if (opts.json) printJson({ a: a.name, b: b.name, differences: diffs });
      else if (!diffs.length) say(green(`${a.name} and ${b.name} have the same schema.`));
      else {
        say(`${bold(String(diffs.length))} difference(s) between ${bold(a.name)} and ${bold(b.name)}:`);
        say(table(['RELATION', 'WHAT', 'NAME', a.name.toUpperCase(), b.name.toUpperCase()], diffs.map((d) => [
          d.relation, d.property ? `${d.kind} ${d.property}` : d.kind, d.kind === 'relation' ? '' : d.name,
          d.a === null ? red('(absent)') : d.a, d.b === null ? red('(absent)') : d.b,
        ])));
        say(yellow('Run godwit status --env … to see which migrations explain them.'));
      }
      if (diffs.length) process.exitCode = 1;
    });
}
