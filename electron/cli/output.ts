/** Terminal output helpers: colour only on a TTY without NO_COLOR, aligned tables, stdout for data, stderr for talk. */
const useColor = () => process.stdout.isTTY === true && !process.env.NO_COLOR;

const paint = (code: number) => (text: string) => (useColor() ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

const ANSI = /\x1b\[[0-9;]*m/g;
// Most cells have no colour (always so without a TTY): no regular expression for them (status prints thousands).
const width = (s: string) => (s.includes('\x1b') ? s.replace(ANSI, '').length : s.length);

/** Columns padded to the widest cell; the last column is not padded. */
export function table(headers: string[], rows: string[][], indent = ''): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent + cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c)))).join('  ');
  return [line(headers.map((h) => bold(h))), ...rows.map(line)].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Progress and notices go to stderr, so stdout stays clean for SQL and JSON. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}
