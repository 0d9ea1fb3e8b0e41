/**
 * Small, quote-aware scanning of a statement's text, to lift out the pieces a data check re-runs as written (a
 * CHECK expression, a USING expression, an index's key expressions and predicate). The parse tree gives where a
 * piece starts, not where it ends.
 */

/** Index just past a quoted run ('…', "…", $tag$…$tag$) starting at `i`, or `i` when none starts there. */
function skipQuoted(text: string, i: number): number {
  const c = text[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < text.length) {
      if (text[j] === c) {
        if (text[j + 1] === c) j += 2;
        else return j + 1;
      } else j++;
    }
    return text.length;
  }
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i))?.[0];
    if (tag) {
      const end = text.indexOf(tag, i + tag.length);
      return end === -1 ? text.length : end + tag.length;
    }
  }
  if (c === '-' && text[i + 1] === '-') {
    const nl = text.indexOf('\n', i);
    return nl === -1 ? text.length : nl + 1;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end === -1 ? text.length : end + 2;
  }
  return i;
}

/** The text inside the first parenthesised group at or after `from` (without the outer parentheses). */
export function parenthesized(text: string, from: number): { inner: string; end: number } | undefined {
  let i = from;
  while (i < text.length && text[i] !== '(') {
    const j = skipQuoted(text, i);
    i = j > i ? j : i + 1;
  }
  if (i >= text.length) return undefined;
  const start = i + 1;
  let depth = 0;
  while (i < text.length) {
    const j = skipQuoted(text, i);
    if (j > i) {
      i = j;
      continue;
    }
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return { inner: text.slice(start, i), end: i + 1 };
    i++;
  }
  return undefined;
}

/** Splits at `sep` outside quotes and parentheses. */
export function splitTopLevel(text: string, sep = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const j = skipQuoted(text, i);
    if (j > i) {
      i = j;
      continue;
    }
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(last, i));
      last = i + 1;
    }
    i++;
  }
  parts.push(text.slice(last));
  return parts.map((p) => p.trim());
}

/** Index of the keyword `word` at or after `from`, outside quotes and parentheses; -1 when absent. */
export function findKeyword(text: string, word: string, from = 0): number {
  const re = new RegExp(`^${word}\\b`, 'i');
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const j = skipQuoted(text, i);
    if (j > i) {
      i = j;
      continue;
    }
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /[A-Za-z]/.test(c) && (i === 0 || !/[\w$]/.test(text[i - 1]!)) && re.test(text.slice(i, i + word.length + 1))) return i;
    i++;
  }
  return -1;
}

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** `a` or `s.a` as parse trees give them (case already folded) → `"a"` / `"s"."a"`. */
export function quoteName(name: string): string {
  const dot = name.indexOf('.');
  return dot === -1 ? quoteIdent(name) : `${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
}

/** One line, at most `max` characters. */
export function truncate(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
