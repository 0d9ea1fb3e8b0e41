/** What `godwit check` finds, in the shape every front end (CLI text, --json, --markdown, the app) reads. */

/** Stable rule ids: scripts and godwit.json's `check.ignore` name them; never rename one. */
export const CHECK_RULES = {
  'ordering/out-of-order': 'A migration added since the base sorts before one the base (or the environment) already has: fresh installs and deploys apply it out of order.',
  'ordering/bad-name': 'A migration folder name is not Prisma\'s form, YYYYMMDDHHMMSS_name.',
  'ordering/duplicate-timestamp': 'Two migration folders share one timestamp: their order depends on the names only.',
  'integrity/edited': 'A migration that exists in the base was changed: environments that applied it run something else.',
  'integrity/removed': 'A migration that exists in the base was removed from the folder.',
  'integrity/env-edited': 'The environment applied a different migration.sql than the folder holds (checksum differs).',
  'integrity/env-missing-locally': 'The environment applied a migration the folder does not have.',
  'integrity/env-failed': 'The environment has a failed migration: deploys are blocked until it is resolved.',
  'reversibility/missing-down': 'The migration has no down.sql.',
  'reversibility/not-reversible': 'After migration.sql and down.sql, the schema differs from the schema before the migration.',
  'reversibility/up-failed': 'migration.sql failed on a throwaway database with every earlier migration applied.',
  'reversibility/down-failed': 'down.sql failed right after its migration.sql.',
  'reversibility/reapply-failed': 'migration.sql failed when applied again after its down.sql.',
  'lint/rewrite': 'A statement rewrites an existing table under an ACCESS EXCLUSIVE lock.',
  'lint/scan': 'A statement reads a whole existing table while holding a lock.',
  'lint/caution': 'A statement can fail on existing data, or breaks the running application.',
  'lint/destructive': 'A statement may lose data (DROP, TRUNCATE, DELETE without WHERE, …).',
  'lint/unparsable': 'The SQL parser could not read the script: nothing in it was analysed.',
} as const;

export type CheckRule = keyof typeof CHECK_RULES;
export const CHECK_FAMILIES = ['ordering', 'integrity', 'reversibility', 'lint'] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

export const familyOf = (rule: CheckRule): CheckFamily => rule.slice(0, rule.indexOf('/')) as CheckFamily;

export interface CheckFinding {
  rule: CheckRule;
  /** The migration folder's name; null for findings about the folder as a whole. */
  migration: string | null;
  file: 'migration.sql' | 'down.sql' | null;
  /** 1-based line in `file`, when one is known. */
  line: number | null;
  message: string;
  /** The SQL the finding is about (a statement's first lines, an object's definition), for quoting. */
  sql?: string | undefined;
  /** Set when godwit.json's `check.ignore` silences it: the reason given there. */
  silencedBecause?: string | undefined;
}

export interface CheckReport {
  /** The git ref compared with, as given, and the commit it named; null without --base. */
  base: { ref: string; commit: string } | null;
  /** Where reversibility ran: a fresh database on a server, an embedded PGlite, or nowhere. */
  throwaway: 'server' | 'embedded' | null;
  /** The environment the folder was compared with, by name. */
  environment: string | null;
  families: CheckFamily[];
  /** Migrations added since the base (all of them without --base), oldest first. */
  added: string[];
  /** Migrations whose reversibility and lint were checked. */
  checked: string[];
  /** Findings that count: any makes the exit code 1. */
  findings: CheckFinding[];
  /** Findings godwit.json silences, shown with their reason; they do not change the exit code. */
  silenced: CheckFinding[];
}
