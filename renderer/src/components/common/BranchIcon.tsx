/** The side-branch mark (an SVG: U+2442 "⑂" is missing from common fonts and rendered as an empty box). */
export function BranchIcon({ title }: { title?: string }) {
  return (
    <svg className="branch-mark" viewBox="0 0 16 16" width="12" height="12" role={title ? 'img' : undefined} aria-hidden={title ? undefined : true} aria-label={title}>
      {title && <title>{title}</title>}
      <path d="M5 2.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm0 8a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6-6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zM4.25 5.9h1.5v4.2h-1.5zM11 7.9c0 2-1.6 2.6-3.2 2.9L6 11.1v-1.5l1.6-.3C9 9 9.5 8.6 9.5 7.9z" fill="currentColor" />
    </svg>
  );
}
