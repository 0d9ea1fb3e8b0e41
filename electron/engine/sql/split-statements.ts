import type * as LibPgQuery from 'libpg-query';
import type { Node } from '@pgsql/types';

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
  /** Set when the parser refused the script; `statements` then holds the whole script as one piece. */
  parseError: string | null;
}

let ready: Promise<void> | undefined;
let parser: typeof LibPgQuery | undefined;

/** Loads libpg_query's WebAssembly build once (on first use); every function below needs it. */
export function loadSqlParser(): Promise<void> {
  ready ??= import('libpg-query').then(async (mod) => {
    await mod.loadModule();
    parser = mod;
  });
  return ready;
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

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Splits a script into statements with libpg_query (call `loadSqlParser` first). Offsets from the parser are UTF-8
 * byte offsets, so slicing happens on the encoded bytes.
 */
export function splitStatements(script: string): SplitResult {
  if (!parser) throw new Error('splitStatements: call loadSqlParser() first');
  let parsed: ReturnType<typeof LibPgQuery.parseSync>;
  try {
    parsed = parser.parseSync(script);
  } catch (err) {
    const start = leadingNoise(script);
    const text = script.slice(start).trim();
    return {
      statements: text ? [{ text, line: lineAt(script, start), offset: start, node: null }] : [],
      parseError: (err as Error).message,
    };
  }
  const bytes = Buffer.from(script, 'utf8');
  const statements: SqlStatement[] = [];
  let bytePos = 0;
  let charPos = 0;
  for (const raw of parsed.stmts ?? []) {
    const from = raw.stmt_location ?? 0;
    const to = raw.stmt_len ? from + raw.stmt_len : bytes.length;
    // Advance the character cursor to `from` without re-decoding the whole prefix each time.
    charPos += bytes.subarray(bytePos, from).toString('utf8').length;
    const piece = bytes.subarray(from, to).toString('utf8');
    const skip = leadingNoise(piece);
    const text = piece.slice(skip).replace(/;\s*$/, '').trimEnd();
    if (text && raw.stmt) statements.push({ text, line: lineAt(script, charPos + skip), offset: charPos + skip, node: raw.stmt });
    bytePos = from;
  }
  return { statements, parseError: null };
}
