import { GodwitError } from '../util/errors.ts';
import { EnginePanic } from './load-wasm.ts';

/** Schema engine errors arrive as objects or strings with Rust details; keep one meaningful line. */
export function engineError(err: unknown, doing: string): GodwitError {
  if (err instanceof GodwitError) return err;
  if (err instanceof EnginePanic) {
    return new GodwitError(
      'schema-engine-panic',
      `Could not ${doing}: the engine crashed (${panicLine(err)}).`,
      'It was discarded: the next command starts a fresh one.',
    );
  }
  const e = err as { message?: string; meta?: { message?: string } } | string;
  const raw = typeof e === 'string' ? e : (e.meta?.message ?? e.message ?? String(err));
  // The engine's first line says what failed ("Migration `x` failed to apply cleanly to the shadow database."); the
  // database's own ERROR line, further down, says why, and its HINT what to do. Rust's backtrace is left out.
  const cause = /^(?:.*?: )?ERROR: (.+)$/m.exec(raw)?.[1]?.trim() ?? connectorReason(raw);
  const hint = /^HINT: (.+)$/m.exec(raw)?.[1]?.trim();
  const first = firstLine(raw);
  const message = cause ? `${first.replace(/[.\s]+$/, '')}: ${cause.replace(/\.$/, '')}.` : first;
  return new GodwitError('schema-engine', `Could not ${doing}: ${message}`, hint);
}

const MAX_PANIC = 200;

/**
 * Rust prints "panicked at file:line:col:" and then the message, often an unwrapped error with whole structs in
 * Debug form (a result row with every value): keep the sentence and the place, on one short line.
 */
export function panicLine(err: EnginePanic): string {
  const lines = (err.panic ?? String(err.cause)).split('\n').map((l) => l.trim()).filter(Boolean);
  const at = /^panicked at (.*?):?$/.exec(lines[0] ?? '');
  let message = (at ? lines[1] : lines[0]) ?? 'no message';
  message = message.replace(/^called `(Result|Option)::unwrap\(\)` on an `Err` value: /, '');
  message = message.replace(/^"(.*)"$/, '$1').replace(/\\"/g, '"');
  message = withoutDebugStructs(message).replace(/\s+/g, ' ').trim();
  if (message.length > MAX_PANIC) message = `${message.slice(0, MAX_PANIC)}…`;
  return at ? `${message}, at ${at[1]}` : message;
}

/** Drops `{ … }` groups (balanced), where Rust's Debug output puts field values. */
function withoutDebugStructs(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/**
 * The engine's own words for a database error it classified (SQLSTATE 23502 becomes "Null constraint failed: (label)"):
 * the lines after the first, without its "Error:" and "external connector error" headings and the backtrace.
 */
function connectorReason(raw: string): string | undefined {
  const lines: string[] = [];
  for (const line of raw.split('\n').slice(1).map((l) => l.trim())) {
    if (/^\d+: /.test(line) || /^at \S+:\d+/.test(line)) break;
    if (line && !/^(Error:|external connector error)$/i.test(line)) lines.push(line);
  }
  return lines.length ? lines.join('; ') : undefined;
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? text;
}
