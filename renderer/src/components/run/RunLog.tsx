import { useLayoutEffect, useRef } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { RunLogLine } from '../../store/run-slice.ts';

const LINE = 22;

/** done/total as a bar and in words. */
export function RunProgress({ done, total, phase }: { done: number; total: number; phase: string }) {
  return (
    <div className="run-progress" data-testid="run-progress" data-done={done} data-total={total}>
      <progress max={Math.max(total, 1)} value={done} aria-label={`${done} of ${total} migrations done`} />
      <span className="num">{done.toLocaleString()} / {total.toLocaleString()}{phase === 'running' ? ' running…' : ''}</span>
    </div>
  );
}

/** The run's log, numbered, virtualised for thousands of lines, scrolled to follow the running migration. */
export function RunLog({ log }: { log: RunLogLine[] }) {
  const parent = useRef<HTMLDivElement>(null);
  // The newest lines are always rendered: the virtualiser learns of our scroll to the end only from the next scroll event,
  // and until then it would render the range it had, above the fold (an empty log for a moment, under load).
  const rangeExtractor = (range: Range) => {
    const tail = Math.ceil((parent.current?.clientHeight ?? 0) / LINE) + 1;
    const shown = new Set(defaultRangeExtractor(range));
    for (let i = Math.max(0, range.count - tail); i < range.count; i++) shown.add(i);
    return [...shown].sort((a, b) => a - b);
  };
  const virtualizer = useVirtualizer({ count: log.length, getScrollElement: () => parent.current, estimateSize: () => LINE, overscan: 10, rangeExtractor });
  const width = String(log.length).length;
  // Before the browser paints or runs anything else: a new line is never on screen below the fold for a frame, with the
  // log not yet scrolled to it (a useEffect scrolled after paint, and the e2e test saw that frame under load).
  useLayoutEffect(() => {
    if (log.length) virtualizer.scrollToIndex(log.length - 1, { align: 'end' });
  }, [log.length, log[log.length - 1]?.status, virtualizer]);
  return (
    <div className="run-log" ref={parent} role="log" aria-label="Run log" tabIndex={0} data-testid="run-log" style={{ height: `min(40vh, ${Math.max(1, log.length) * LINE + 10}px)` }}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const l = log[item.index]!;
          return (
            <div key={l.name} className={`log-line log-${l.status}`} title={l.kept} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: LINE, transform: `translateY(${item.start}px)` }}>
              <span className="log-n" style={{ minWidth: `${width + 1}ch` }}>{item.index + 1}.</span>
              {l.status === 'done' ? '✓' : l.status === 'failed' ? '✕' : '…'} {l.name}{l.durationMs !== undefined ? ` (${Math.round(l.durationMs)} ms)` : ''}{l.kept ? <span className="log-kept"> — {l.kept}</span> : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
