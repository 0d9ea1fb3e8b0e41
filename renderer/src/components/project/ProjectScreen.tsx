import { useState } from 'react';
import { useApp } from '../../store/index.ts';

/** Open a Prisma project folder, a recent one, or the demo. */
export function ProjectScreen() {
  const { openProject, openDemo, recent, projectError, projectLoading } = useApp();
  const [dir, setDir] = useState('');
  return (
    <main className="project-screen" aria-label="Open a project">
      <h1>Godwit</h1>
      <p className="muted">Migrations for Prisma projects on PostgreSQL: where every environment stands, the exact SQL, safe upgrades and rollbacks.</p>
      <form className="form inline" onSubmit={(e) => { e.preventDefault(); void openProject(dir); }}>
        <label>Project folder<input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/path/to/project (with prisma.config.ts or prisma/schema.prisma)" aria-label="Project folder" /></label>
        <button type="submit" className="primary" disabled={!dir.trim() || projectLoading}>Open</button>
      </form>
      {window.godwit && <p className="muted">Or choose a folder from the File menu.</p>}
      {projectError && <p className="error" role="alert">{projectError}</p>}
      <button type="button" onClick={() => void openDemo()} disabled={projectLoading} data-testid="open-demo">{projectLoading ? 'Opening…' : 'Open demo'}</button>
      {recent.length > 0 && (
        <section>
          <h2>Recent projects</h2>
          <ul className="recent">
            {recent.map((r) => <li key={r}><button type="button" className="link" onClick={() => void openProject(r)}>{r}</button></li>)}
          </ul>
        </section>
      )}
    </main>
  );
}
