import type { SqlStatement } from '../sql/split-statements.ts';
import { findAll, kindOf, str } from './parse-tree.ts';

/**
 * Statements of a script run as one transaction that use, as a string constant, a value an earlier statement adds
 * to an enum (`ALTER TYPE … ADD VALUE`): PostgreSQL refuses it until the value is committed ("unsafe use of new
 * value", 55P04), and the migration fails when it runs (civitai's JobQueue backfills). A constant equal to the label
 * is taken as a use: it may be a text that only looks the same, so this is a warning, not a refusal. Returns, by
 * statement index, the warning.
 */
export function newEnumValueUses(statements: SqlStatement[]): Map<number, string> {
  const added = new Map<string, number>();
  const out = new Map<number, string>();
  for (const [i, s] of statements.entries()) {
    const [kind, body] = kindOf(s.node);
    if (kind === 'AlterEnumStmt' && str(body.newVal) && !str(body.oldVal)) {
      if (!added.has(str(body.newVal)!)) added.set(str(body.newVal)!, s.line);
      continue;
    }
    if (!added.size) continue;
    const used = [...new Set(findAll(s.node, 'A_Const').map((c) => str((c.sval as { sval?: unknown } | undefined)?.sval)).filter((v): v is string => v !== undefined && added.has(v)))];
    if (used.length) {
      out.set(i, `Uses ${used.map((v) => `'${v}', which line ${added.get(v)} adds to its enum`).join(', and ')} in the same transaction: PostgreSQL refuses a new enum value until it is committed ("unsafe use of new value"), so the migration fails. Put the ADD VALUE in a migration of its own, before this one.`);
    }
  }
  return out;
}
