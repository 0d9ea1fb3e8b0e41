import { useEffect } from 'react';
import { useApp } from './store/index.ts';
import { useShortcuts } from './use-shortcuts.ts';
import { useLiveStatus } from './use-live-status.ts';
import { ProjectScreen } from './components/project/ProjectScreen.tsx';
import { EnvironmentsBar } from './components/environments/EnvironmentsBar.tsx';
import { EnvironmentEditor } from './components/environments/EnvironmentEditor.tsx';
import { RevisionGraph } from './components/graph/RevisionGraph.tsx';
import { MigrationDetail } from './components/detail/MigrationDetail.tsx';
import { RunToolbar } from './components/run/RunToolbar.tsx';
import { RunDialog } from './components/run/RunDialog.tsx';
import { PreviewDialog } from './components/preview/PreviewDialog.tsx';
import { TablesView } from './components/tables/TablesView.tsx';
import { NewMigrationDialog } from './components/create/NewMigrationDialog.tsx';
import { AuditLog } from './components/audit/AuditLog.tsx';
import { BackupsView } from './components/backups/BackupsView.tsx';
import { CheckView } from './components/check/CheckView.tsx';
import { HelpDialog } from './components/help/HelpDialog.tsx';
import { SplitPane } from './components/common/SplitPane.tsx';

const VIEWS = [['migrations', 'Migrations'], ['tables', 'Tables'], ['audit', 'Audit log'], ['backups', 'Backups'], ['check', 'Check']] as const;

export function App() {
  const s = useApp();
  useShortcuts();
  useLiveStatus();
  useEffect(() => {
    document.documentElement.dataset.theme = s.theme;
  }, [s.theme]);

  // Until the back end says which project is open, neither the project screen (and its folder listing) nor a project.
  if (!s.project) return s.booting ? <main className="project-screen" aria-busy="true" aria-label="Opening" /> : <ProjectScreen />;
  const anyStatus = Object.keys(s.statuses).length > 0;
  return (
    <div className="app" data-ready={anyStatus && !s.statusLoading ? 'true' : 'false'} data-testid="app">
      <header className="topbar">
        <h1 title={s.project.dir}>{s.project.isDemo ? 'Demo project' : s.project.name}</h1>
        <nav aria-label="Views" className="views">
          {VIEWS.map(([id, label]) => (
            <button key={id} type="button" aria-pressed={s.view === id} onClick={() => s.setView(id)}>{label}</button>
          ))}
        </nav>
        <span className="spacer" />
        <select aria-label="Theme" value={s.theme} onChange={(e) => s.setTheme(e.target.value as typeof s.theme)}>
          <option value="system">System theme</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
        <button type="button" className="ghost" onClick={() => s.closeProject()}>Switch project</button>
        <button type="button" className="ghost" aria-label="Keyboard shortcuts" onClick={() => s.openDialog('help')}>?</button>
      </header>
      {/* One main region (focus lands here when a dialog's opener is gone), the environments and actions inside it. */}
      <main id="main" className="main" tabIndex={-1} aria-label={`${VIEWS.find(([id]) => id === s.view)![1]} of ${s.selectedEnv ?? 'the project'}`}>
        <EnvironmentsBar />
        {s.statusError && <p className="error banner" role="alert">{s.statusError}</p>}
        <RunToolbar />
        {s.view === 'migrations' && (
          <SplitPane left={<RevisionGraph />} right={<MigrationDetail />} label="Resize the revision graph" />
        )}
        {s.view === 'tables' && <TablesView />}
        {s.view === 'audit' && <AuditLog />}
        {s.view === 'backups' && <BackupsView />}
        {s.view === 'check' && <CheckView />}
      </main>
      <RunDialog />
      {s.dialog === 'help' && <HelpDialog />}
      {s.dialog === 'new-migration' && <NewMigrationDialog />}
      {s.dialog && typeof s.dialog === 'object' && s.dialog.kind === 'environment' && <EnvironmentEditor name={s.dialog.name} />}
      {s.dialog && typeof s.dialog === 'object' && s.dialog.kind === 'preview' && <PreviewDialog />}
    </div>
  );
}
