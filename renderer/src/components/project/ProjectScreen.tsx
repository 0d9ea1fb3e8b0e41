import { useState } from 'react';
import { useApp } from '../../store/index.ts';
import { call } from '../../api/transport.ts';
import { FolderPicker } from './FolderPicker.tsx';

/** Open a Prisma project folder, a recent one, or the demo. */
export function ProjectScreen() {
  const { openProject, openDemo, recent, projectError, projectLoading, setProject } = useApp();
  const [dir, setDir] = useState('');
  const [pickError, setPickError] = useState<string | null>(null);
  // The desktop app opens only folders chosen in the system dialog (or already in the recent list): a typed path
  // from the page is refused by the main process, since opening a project runs its code.
  const desktop = !!window.godwit;
  const pick = async () => {
    try {
      const opened = await call('project/pick', {});
      if (opened) setProject(opened);
    } catch (err) {
      setPickError((err as Error).message);
    }
  };
  return (
    <main className="project-screen" aria-label="Open a project">
      <h1>Godwit</h1>
      <p className="muted">Migrations for Prisma projects on PostgreSQL: where every environment stands, the exact SQL, safe upgrades and rollbacks.</p>
      <p className="muted" data-testid="runs-config-note">Opening a project runs its <code>prisma.config.ts</code> (and loads its <code>.env</code>), as the Prisma CLI does: open only projects you trust.</p>
      {desktop ? (
        <button type="button" className="primary" onClick={() => void pick()} disabled={projectLoading}>Choose a project folder…</button>
      ) : (
        <>
        <FolderPicker onOpen={(d) => void openProject(d)} disabled={projectLoading} />
        <form className="form inline" onSubmit={(e) => { e.preventDefault(); void openProject(dir); }}>
          <label>Project folder<input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/path/to/project (with prisma.config.ts or prisma/schema.prisma)" aria-label="Project folder" /></label>
          <button type="submit" className="primary" disabled={!dir.trim() || projectLoading}>Open</button>
        </form>
        </>
      )}
      {projectError && <p className="error" role="alert">{projectError}</p>}
      {pickError && <p className="error" role="alert">{pickError}</p>}
      <button type="button" onClick={() => void openDemo()} disabled={projectLoading} data-testid="open-demo">{projectLoading ? 'Opening…' : 'Open demo'}</button>
      <section>
        <h2>Recent projects</h2>
        <ul className="recent" data-testid="recent-projects">
          {/* The demo is always one click away, at the top of the list. */}
          <li><button type="button" className="link" onClick={() => void openDemo()} disabled={projectLoading} data-testid="recent-demo">Demo project (embedded database, nothing to set up)</button></li>
          {recent.map((r) => <li key={r}><button type="button" className="link" onClick={() => void openProject(r)}>{r}</button></li>)}
        </ul>
      </section>
    </main>
  );
}
