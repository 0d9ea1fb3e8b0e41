import { displayWidth as width } from './display-width.ts';

/**
 * psql's "aligned" output format (border 1), so Godwit's text reads exactly like psql's: title centred over the
 * table, headers centred, text left-aligned and numbers right-aligned, footers below.
 */
export interface PsqlTable {
  title: string;
  headers: string[];
  rows: string[][];
  /** Columns aligned right (psql does this for numeric types). */
  rightAligned?: boolean[];
  footers: string[];
}


export function renderPsqlTable(t: PsqlTable): string {
  const n = t.headers.length;
  // Each cell's lines, split once: a value's line breaks are lines of its row, continued ones marked with +.
  const cells = t.rows.map((row) => t.headers.map((_, i) => (row[i] ?? '').split('\n')));
  // Loops, not Math.max(...rows): a spread of every row overflows the stack past ~120,000 rows (the listing of a huge schema).
  const widths = t.headers.map((h, i) => {
    let w = width(h);
    for (const row of cells) for (const text of row[i]!) w = Math.max(w, width(text));
    return w;
  });
  const total = widths.reduce((a, b) => a + b, 0) + (n - 1) * 3 + 2;
  const out: string[] = [];
  const tw = width(t.title);
  if (t.title) out.push(tw >= total ? t.title : ' '.repeat(Math.floor((total - tw) / 2)) + t.title);
  out.push(
    ' ' +
      t.headers
        .map((h, i) => {
          const pad = widths[i]! - width(h);
          return ' '.repeat(Math.floor(pad / 2)) + h + ' '.repeat(Math.ceil(pad / 2));
        })
        .join(' | ') +
      ' ',
  );
  out.push(widths.map((w) => '-'.repeat(w + 2)).join('+'));
  for (const lines of cells) {
    let height = 1;
    for (const l of lines) height = Math.max(height, l.length);
    for (let k = 0; k < height; k++) {
      let line = ' ';
      for (let i = 0; i < n; i++) {
        const l = lines[i]!;
        const text = l[k] ?? '';
        const pad = ' '.repeat(widths[i]! - width(text));
        const continued = k < l.length - 1;
        const right = t.rightAligned?.[i] === true;
        const aligned = right ? pad + text : text + pad;
        if (i < n - 1) line += `${aligned}${continued ? '+' : ' '}| `;
        else line += right ? aligned : continued ? `${aligned}+` : text;
      }
      out.push(line);
    }
  }
  out.push(...t.footers);
  // psql ends every aligned table, footers included, with a blank line.
  return out.join('\n') + '\n\n';
}
