import { createRequire } from 'node:module';
import type * as LibPgQuery from 'libpg-query';
import type { Node } from '@pgsql/types';
import { LineCursor, type SplitWork } from './line-cursor.ts';
import { beforeWebAssembly } from '../util/wasm-tiers.ts';

export type { SplitWork } from './line-cursor.ts';

/** One top-level statement of a script, located by the real PostgreSQL parser. */
export interface SqlStatement {
  /** The statement as written, leading comments and whitespace removed, without the final ';'. */
  text: string;
  /** 1-based line in the script where the statement starts. */
  line: number;
  /** 0-based character offset in the script where the statement starts. */
  offset: number;
  /** The parse tree node (`{ CreateStmt: {...} }`), or null when the script could not be parsed. */
  node: Node | null;
}

export interface SplitResult {
  statements: SqlStatement[];
  /**
   * Set when the parser refused the script: one line (the parser's message and where), never the parse output.
   * `statements` then holds the whole script as one piece, unanalysed.
   */
  parseError: string | null;
}

/**
 * Larger scripts are not parsed: libpg_query's WebAssembly memory runs out between 24 and 32 MB of dense SQL (it then
 * fails, or exits after printing a FATAL line), and keeps what it grew. Such scripts are data loads; they stay
 * unanalysed, which the front ends say and the run gate handles.
 */
const MAX_PARSED_BYTES = 16 * 1024 * 1024;

/** How a parseError begins when the parser failed for want of memory rather than because of the script. */
export const PARSER_GAVE_UP = 'the SQL parser gave up';

let parser: typeof LibPgQuery | undefined;

/**
 * Loads libpg_query's WebAssembly build once (on first use); every function below needs it. libpg-query 18 reports
 * parse errors through libpg_query's error struct: 17.3.x took any parse output containing the text "ERROR" (an enum
 * value, a string literal) for an error, and Godwit lost the analysis of such scripts.
 */
export async function loadSqlParser(): Promise<void> {
  parser ??= await loadLibpgQuery();
}

let loaded: Promise<typeof LibPgQuery> | undefined;
/** libpg_query, loaded and instantiated once for the parser and the scanner (backup/find-targets.ts). */
export function loadLibpgQuery(): Promise<typeof LibPgQuery> {
  return (loaded ??= (async () => {
    // Its CommonJS build, required: through import() Node's ES module loader made loading it ~15 ms and its
    // instantiation up to ~15 ms slower, on every command that parses (require + loadModule 7.5 + 10 ms, against
    // import + loadModule 15 + 8–24 ms, in fresh processes).
    beforeWebAssembly();
    const mod = createRequire(import.meta.url)('libpg-query') as typeof LibPgQuery;
    await mod.loadModule();
    return mod;
  })());
}

/** Skips whitespace and `--` / `/* *\/` comments at the start of a text. */
function leadingNoise(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else {
      return i;
    }
  }
}

/** UTF-16 length of the UTF-8 bytes [from, to): one unit per character, two for 4-byte (non-BMP) ones. */
function utf16Length(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** The UTF-16 index of the `n`th code point (PostgreSQL's error positions count characters). */
function codePointIndex(text: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return i;
}

/** The whole script as one unanalysed piece, with the reason in one bounded line. */
function unparsable(script: string, reason: string, at: number | undefined): SplitResult {
  const start = leadingNoise(script);
  const text = script.slice(start).trim();
  const where = at === undefined ? '' : ` (line ${new LineCursor(script).lineAt(at)})`;
  const line = reason.replace(/\s+/g, ' ').trim();
  return {
    statements: text ? [{ text, line: new LineCursor(script).lineAt(start), offset: start, node: null }] : [],
    parseError: `${line.length > 200 ? `${line.slice(0, 197)}...` : line}${where}`,
  };
}

/**
 * Splits a script into statements with libpg_query (call `loadSqlParser` first). Offsets from the parser are UTF-8
 * byte offsets; they become character offsets and lines in one forward pass, so a script of any size splits in
 * linear time. `work`, when given, counts that pass.
 */
export function splitStatements(script: string, work?: SplitWork): SplitResult {
  if (!parser) throw new Error('splitStatements: call loadSqlParser() first');
  if (!/\S/.test(script)) return { statements: [], parseError: null };
  // libpg_query reads a C string: a NUL would silently end the script there, leaving the rest unanalysed.
  const nul = script.indexOf('\0');
  if (nul !== -1) return unparsable(script, 'the script contains a NUL character', nul);
  const bytes = Buffer.from(script, 'utf8');
  if (bytes.length > MAX_PARSED_BYTES) {
    return unparsable(script, `the script is too large to analyse (${(bytes.length / 2 ** 20).toFixed(1)} MB; the SQL parser takes up to 16 MB)`, undefined);
  }
  let parsed: ReturnType<typeof LibPgQuery.parseSync>;
  const exitCode = process.exitCode;
  try {
    parsed = parser.parseSync(script);
  } catch (err) {
    const details = (err as LibPgQuery.SqlError).sqlDetails;
    if (details) return unparsable(script, details.message, codePointIndex(script, details.cursorPosition));
    // Not a syntax error: the WebAssembly parser itself gave up (in practice, out of memory on a huge script).
    return unparsable(script, `${PARSER_GAVE_UP} on this ${(bytes.length / 2 ** 20).toFixed(1)} MB script (${(err as Error).message || String(err)})`, undefined);
  } finally {
    // The WebAssembly runtime sets the exit code when the parser exits on a fatal error; Godwit's own stays.
    process.exitCode = exitCode;
  }
  const lines = new LineCursor(script, work);
  const statements: SqlStatement[] = [];
  // All ASCII (most migrations): byte offsets are character offsets, no walk through the bytes needed.
  const ascii = bytes.length === script.length;
  let bytePos = 0;
  let charPos = 0;
  for (const raw of parsed.stmts ?? []) {
    const from = raw.stmt_location ?? 0;
    const to = raw.stmt_len ? from + raw.stmt_len : bytes.length;
    charPos += ascii ? from - bytePos : utf16Length(bytes, bytePos, from);
    const length = ascii ? to - from : utf16Length(bytes, from, to);
    if (work) work.units += to - bytePos;
    const piece = script.slice(charPos, charPos + length);
    const skip = leadingNoise(piece);
    const text = piece.slice(skip).replace(/;\s*$/, '').trimEnd();
    if (text && raw.stmt) statements.push({ text, line: lines.lineAt(charPos + skip), offset: charPos + skip, node: raw.stmt });
    bytePos = to;
    charPos += length;
  }
  return { statements, parseError: null };
}
