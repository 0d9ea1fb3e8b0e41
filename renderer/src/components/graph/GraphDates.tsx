import { folderDate, laneWidth } from './graph-model.ts';

/**
 * The date column of the rows on screen, one line a row, drawn by CSS from one attribute. The dates are not text in
 * the rows: a row's spoken name already holds its timestamp, so the row must not show words its name lacks (axe's
 * label-content-name-mismatch). One generated text for the whole window because a scroll step that changed a
 * generated text in every row rebuilt every row's pseudo-element: a third of a frame's style and layout.
 */
export function GraphDates({ names, envs }: { names: string[]; envs: string[] }) {
  // Where a row's date cell starts: the row's padding, then its lanes.
  const left = 8 + envs.reduce((w, env) => w + laneWidth(env), 0);
  return <span className="graph-date graph-dates" aria-hidden="true" style={{ left }} data-label={names.map((n) => folderDate(n) ?? '').join('\n')} />;
}
