import { useId, useRef, type ReactNode } from 'react';

/**
 * The WAI-ARIA tabs pattern: one tab in the Tab order (roving tabindex), ←/→/Home/End move and select, and the
 * selected tab's panel labelled by it. Only the selected panel is rendered.
 */
export function Tabs<T extends string>(props: { label: string; selected: T; onSelect(id: T): void; tabs: { id: T; label: string; panel: ReactNode }[] }) {
  const base = useId();
  const list = useRef<HTMLDivElement>(null);
  const ids = props.tabs.map((t) => t.id);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const at = ids.indexOf(props.selected);
    const next = e.key === 'ArrowRight' ? (at + 1) % ids.length : e.key === 'ArrowLeft' ? (at - 1 + ids.length) % ids.length : e.key === 'Home' ? 0 : e.key === 'End' ? ids.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    props.onSelect(ids[next]!);
    list.current?.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus();
  };
  const current = props.tabs.find((t) => t.id === props.selected) ?? props.tabs[0]!;
  return (
    <>
      <div role="tablist" aria-label={props.label} className="tabs" ref={list} onKeyDown={onKeyDown}>
        {props.tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={t.id === current.id}
            aria-controls={t.id === current.id ? `${base}-panel-${t.id}` : undefined}
            tabIndex={t.id === current.id ? 0 : -1}
            onClick={() => props.onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel-${current.id}`} aria-labelledby={`${base}-tab-${current.id}`} className="tabpanel" data-testid={`tabpanel-${current.id}`}>
        {current.panel}
      </div>
    </>
  );
}
