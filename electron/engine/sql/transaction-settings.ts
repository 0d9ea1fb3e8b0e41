import { derivedFromScript, setsTransaction, type PreparedScript } from './prepare-script.ts';

type Range = { at: number; len: number };
const isRanges = (v: unknown): v is Range[] =>
  Array.isArray(v) && v.every((r) => !!r && typeof (r as Range).at === 'number' && typeof (r as Range).len === 'number');

/**
 * The script's leading `SET TRANSACTION …` statements (after its own plain BEGIN, when it has one): langfuse opens a
 * backfill with `BEGIN; SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;`. PostgreSQL takes an isolation level only
 * before the transaction's first query, and Godwit's transaction starts with its own settings, so these are sent
 * first, right after Godwit's BEGIN, and as spaces in their place (run-migration.ts). Empty for any other script.
 */
export function leadingTransactionSettings(script: PreparedScript, sql: string): Range[] {
  if (!/\bSET\s+TRANSACTION\b/i.test(sql)) return [];
  return derivedFromScript(script, 'leadingTransactionSettings.2', isRanges, () => {
    const statements = script.statements;
    const from = script.ownTransaction[0] && script.ownTransaction[0].at === statements[0]?.offset ? 1 : 0;
    const found: Range[] = [];
    for (const s of statements.slice(from)) {
      if (!setsTransaction(s)) break;
      found.push({ at: s.offset, len: s.text.length });
    }
    return found;
  });
}

/** Those statements as SQL to send after BEGIN, each with its semicolon; empty when there are none. */
export function transactionSettingsSql(script: PreparedScript, sql: string): string {
  return leadingTransactionSettings(script, sql).map((r) => `${sql.slice(r.at, r.at + r.len)};\n`).join('');
}
