import { useEffect, useState } from 'react';
import type { FolderListingDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';

/**
 * Browser mode's folder picker: the server lists folders inside the user's home only (never outside, symlinks
 * included), projects marked, so no path has to be typed.
 */
export function FolderPicker({ onOpen, disabled }: { onOpen(dir: string): void; disabled: boolean }) {
  const [listing, setListing] = useState<FolderListingDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = (path?: string) => {
    setError(null);
    call('project/browse', path ? { path } : {}).then(setListing, (err: Error) => setError(err.message));
  };
  useEffect(() => go(), []);
  return (
    <section className="folder-picker" aria-label="Folders in your home" data-testid="folder-picker" data-path={listing?.path ?? ''}>
      <div className="section-head">
        <button type="button" onClick={() => listing?.parent && go(listing.parent)} disabled={!listing?.parent} aria-label="Up one folder" data-testid="folder-up">↑ Up</button>
        <code className="folder-path" title={listing?.path}>{listing?.path ?? '…'}</code>
        <span className="spacer" />
        {listing?.isProject && <button type="button" className="primary" disabled={disabled} onClick={() => onOpen(listing.path)} data-testid="open-this-folder">Open this project</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {listing && listing.folders.length === 0 && <p className="muted">No folders here.</p>}
      <ul className="folder-list">
        {listing?.folders.map((f) => (
          <li key={f.path} data-folder={f.name}>
            <button type="button" className="folder" onClick={() => go(f.path)}><FolderIcon /> {f.name}</button>
            {f.isProject && <><span className="badge risk-low">project</span><button type="button" className="link" disabled={disabled} onClick={() => onOpen(f.path)} aria-label={`Open ${f.name}`}>Open</button></>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Drawn, not a glyph: emoji fonts are missing on many Linux desktops (the box seen in screenshots). */
function FolderIcon() {
  return (
    <svg width="14" height="12" viewBox="0 0 14 12" aria-hidden="true" style={{ verticalAlign: '-1px' }}>
      <path d="M1 2.5A1.5 1.5 0 0 1 2.5 1H5l1.5 1.5h5A1.5 1.5 0 0 1 13 4v5.5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 1 9.5z" fill="none" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  );
}
