import { useRef, useState, type ReactNode } from 'react';

const MIN = 320;
const KEY = 'godwit-graph-width';

/**
 * Two panes side by side with a draggable divider (the window-splitter pattern: a focusable separator that ←/→ move,
 * Home/End snap). The left pane's width is remembered for the next session.
 */
export function SplitPane({ left, right, label }: { left: ReactNode; right: ReactNode; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(() => Number(localStorage.getItem(KEY)) || null);
  const clamp = (w: number) => Math.round(Math.max(MIN, Math.min(w, (box.current?.clientWidth ?? 1200) - MIN)));
  const commit = (w: number) => {
    const v = clamp(w);
    setWidth(v);
    localStorage.setItem(KEY, String(v));
  };
  // Until first moved, the left pane's width is whatever the grid gave it.
  const current = () => width ?? (box.current?.firstElementChild?.getBoundingClientRect().width ?? 500);
  const onPointerDown = (e: React.PointerEvent) => {
    const startX = e.clientX;
    const startW = current();
    const move = (m: PointerEvent) => commit(startW + m.clientX - startX);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = e.shiftKey ? 96 : 24;
    const next = e.key === 'ArrowLeft' ? current() - step : e.key === 'ArrowRight' ? current() + step : e.key === 'Home' ? MIN : e.key === 'End' ? Infinity : null;
    if (next === null) return;
    e.preventDefault();
    commit(next);
  };
  return (
    <div className="split" ref={box} style={width ? { gridTemplateColumns: `${width}px 6px minmax(${MIN}px, 1fr)` } : undefined}>
      {left}
      <div
        className="splitter"
        role="separator"
        aria-orientation="vertical"
        aria-label={label}
        aria-valuenow={Math.round(current())}
        aria-valuemin={MIN}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
        data-testid="splitter"
      />
      {right}
    </div>
  );
}
