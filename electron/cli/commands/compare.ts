import type { Command } from 'commander';
import { withEnvironment } from '../../engine/project/with-environment.ts';
import { readCatalog } from '../../engine/catalog/read-catalog.ts';
import { compareCatalogs, COMPARED_KINDS } from '../../engine/catalog/compare-catalogs.ts';
import { compareTablePair, liveSide } from '../../engine/catalog/table-migration.ts';
import type { Environment } from '../../engine/project/environments.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { environmentsFromOptions, LAST_USE, optionsOf, projectSettingsFromOptions } from '../context.ts';
import { bold, green, printJson, red, say, table, yellow } from '../output.ts';

/** Wraps help text at 118 columns, as the rest of the help is laid out. */
const wrap = (text: string) => text.split(' ').reduce<string[]>((lines, word) => {
  const last = lines[lines.length - 1]!;
  if ((last + ' ' + word).length > 118 && last) lines.push(word);
  else lines[lines.length - 1] = last ? `${last} ${word}` : word;
  return lines;
}, ['']).join('\n');

/** Whether the first --url comes before the first --env / -e on the command line. */
function urlFirst(args: string[]): boolean {
  const at = (test: (a: string) => boolean) => {
    const i = args.findIndex(test);
    return i === -1 ? Infinity : i;
  };
  return at((a) => a === '--url' || a.startsWith('--url=')) < at((a) => a === '--env' || a === '-e' || a.startsWith('--env=') || /^-e./.test(a));
}

/** Every `--url X` / `--url=X` in the raw arguments. */
function urlsIn(args: string[]): string[] {
  return args.flatMap((arg, i) => (arg === '--url' && i + 1 < args.length ? [args[i + 1]!] : arg.startsWith('--url=') ? [arg.slice(6)] : []));
}

const collectValues = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerCompare(program: Command): void {
  program.command('compare')
    .description('Compare two environments\' schemas, object by object, from the catalog.')
    .option('-p, --project <dir>', 'the Prisma project folder (default: the current folder)')
    .option('-e, --env <name>', 'an environment from godwit.json (give two)', collectValues)
    .option('--url <url>', 'an ad-hoc database instead of an environment (also env:VAR); give two, or one with one --env', collectValues)
    .option('--grants', 'also compare privileges (off by default: they differ between environments on purpose)')
    .option('--table <name>', 'compare one table (schema.table, or a table in public) part by part, with the SQL that makes the first side like the second')
    .option('--json', 'print the differences as JSON: { a, b, differences: [{ kind, relation, name, object, a, b }], byKind }; with --table, { rows, differences, sqlAtoB, sqlBtoA, … }')
    .addHelpText('after', `
${wrap(`Kinds compared: ${COMPARED_KINDS}.`)}
Both sides are read with the same catalog queries; what only a server version changes (PostgreSQL 18's NOT NULL
catalog constraints, view text qualification) is normalised, so a server and an embedded PGlite can be compared.

Exit code 0 when the schemas match, 1 when they differ, 2 on error.

Examples:
  $ godwit compare --env dev --env prod
  $ godwit compare --url "$STAGING_URL" --url "$PROD_URL"
  $ godwit compare --env test --url env:PROD_URL --json
  $ godwit compare --env dev --env prod --table public.booking_requests`)
    .action(async (_o, cmd: Command) => {
      // --url may repeat here, so it is read apart from the program's single-valued options.
      const own = cmd.opts<{ project?: string; env?: string[]; url?: string[]; grants?: boolean; json?: boolean; table?: string }>();
      const global = cmd.parent ? optionsOf(cmd.parent) : {}; // options given before the command name
      const envNames = [...(global.env ?? []), ...(own.env ?? [])];
      // The program's own --url keeps only the last value; every --url on the command line counts here.
      const rawArgs = (cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? [];
      const urls = own.url ?? urlsIn(rawArgs);
      for (const [flag, values] of [['--url', urls], ['--env', envNames]] as const) {
        if (values.some((v) => v.trim() === '')) throw new GodwitError('bad-options', `${flag} is empty: give a value (an unset variable in a script?).`);
      }
      const open = await projectSettingsFromOptions({ project: own.project ?? global.project });
      const named = envNames.length ? environmentsFromOptions(open, { env: envNames }) : [];
      const adHoc = urls.map((url) => environmentsFromOptions(open, { url })[0]!);
      // One of each: the sides in command-line order ("the SQL that makes the first side like the second").
      const envs = urlFirst(rawArgs) ? [...adHoc, ...named] : [...named, ...adHoc];
      if (envs.length !== 2) throw new GodwitError('bad-options', 'Name exactly two databases: --env A --env B, --url A --url B, or one of each.');
      const [a, b] = [envs[0]!, envs[1]!];
      // An ad-hoc database is named by where it is (no password), so two --url sides can be told apart.
      const label = (e: typeof a) => (own.env?.includes(e.name) || global.env?.includes(e.name) ? e.name : e.display);
      const [nameA, nameB] = label(a) === label(b) ? [`${label(a)} (1)`, `${label(b)} (2)`] : [label(a), label(b)];
      if (own.table !== undefined) return compareOneTable(own.table, [a, nameA], [b, nameB], own.json ?? global.json ?? false);
      const snapA = await withEnvironment(a, (db) => readCatalog(db, { grants: own.grants }), LAST_USE);
      const snapB = await withEnvironment(b, (db) => readCatalog(db, { grants: own.grants }), LAST_USE);
      const { differences, byKind } = compareCatalogs(snapA, snapB);
      if (own.json ?? global.json) printJson({ a: nameA, b: nameB, differences, byKind });
      else if (!differences.length) say(green(`${nameA} and ${nameB} have the same schema.`));
      else {
        say(`${bold(String(differences.length))} difference(s) between ${bold(nameA)} and ${bold(nameB)}:`);
        for (const group of byKind) {
          say('');
          say(bold(`${group.kind} (${group.items.length})`));
          // One line per object here (whitespace collapsed); --json has the definitions as PostgreSQL prints them.
          const cell = (v: string | null) => (v === null ? red('(absent)') : v.replace(/\s+/g, ' '));
          const head = (n: string) => (n.includes('/') ? n : n.toUpperCase());
          say(table(['NAME', head(nameA), head(nameB)], group.items.map((d) => [d.object, cell(d.a), cell(d.b)])));
        }
        say(yellow('Run godwit status --env … --drift to see whether a difference comes from migrations or a hand change.'));
      }
      if (differences.length) process.exitCode = 1;
    });
}

/** `compare --table`: one table on two databases, part by part (engine/catalog/table-compare.ts), and the SQL between. */
async function compareOneTable(name: string, [a, nameA]: [Environment, string], [b, nameB]: [Environment, string], json: boolean): Promise<void> {
  if (!name.trim()) throw new GodwitError('bad-options', '--table is empty: give a table name (schema.table).');
  const dot = name.indexOf('.');
  const [schema, relation] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : ['public', name];
  const side = (e: Environment, n: string) => liveSide(n, (fn) => withEnvironment(e, fn, LAST_USE));
  const cmp = await compareTablePair({ a: side(a, nameA), b: side(b, nameB), schema, table: relation });
  if (json) printJson(cmp);
  else if (!cmp.differences) say(green(`${schema}.${relation} is the same in ${nameA} and ${nameB}.`));
  else {
    const cell = (v: string | null) => (v === null ? red('(absent)') : v.replace(/\s+/g, ' '));
    say(`${bold(String(cmp.differences))} difference(s) in ${bold(`${schema}.${relation}`)} between ${bold(nameA)} and ${bold(nameB)}:`);
    const rows = cmp.rows.filter((r) => r.status !== 'same').map((r) => [r.kind, r.incomingFrom ? `${r.name} (from ${r.incomingFrom})` : r.name, cell(r.a), cell(r.b)]);
    const head = (n: string) => (n.includes('/') ? n : n.toUpperCase());
    say(table(['PART', 'NAME', head(nameA), head(nameB)], rows));
    say('');
    say(bold(`SQL that makes ${nameA} like ${nameB} (review it; godwit new --empty gives it a migration folder):`));
    say(cmp.sqlAtoB.trimEnd());
  }
  if (cmp.differences) process.exitCode = 1;
}
