import { useEffect, useState } from 'react';
import type { MigrationDetailDto, WarningDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';
import { SqlView } from '../common/SqlView.tsx';
import { STATE_GLYPH, STATE_LABEL } from '../graph/graph-model.ts';
import { GatedButton } from '../common/GatedButton.tsx';
import { Tabs } from '../common/Tabs.tsx';
import { rollbackGate, upgradeGate } from '../run/run-gates.ts';
import { SettleFailed } from './SettleFailed.tsx';
import { DetailAnalysis } from '../analysis/DetailAnalysis.tsx';
import { MigrationHistory } from './MigrationHistory.tsx';

function Warnings({ list, parseError }: { list: WarningDto[]; parseError: string | null }) {
  if (parseError !== null) {
    return <p className="warning" data-testid="unanalysed">Unanalysed: the SQL parser refused this script ({parseError}). Nothing was checked — no destructive-statement warnings, no transaction check; running it needs the environment's name typed.</p>;
  }
  if (!list.length) return null;
  return (
    <ul className="warnings" aria-label="Destructive statements">
      {list.map((w, i) => <li key={i}><strong>Line {w.line}: {w.operation}</strong> — <code>{w.statement}</code></li>)}
    </ul>
  );
}

/** The selected migration: up and down SQL, checksum, where it is applied, lint warnings, and actions. */
export function MigrationDetail() {
  const { selectedMigration: name, project, statuses, selectedEnv, openRun, setProject, focusLine } = useApp();
  const focus = focusLine && focusLine.migration === name ? focusLine : null;
  const [detail, setDetail] = useState<MigrationDetailDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<'up' | 'down'>('up');
  const [generated, setGenerated] = useState<string | null>(null);
  const local = project?.migrations.some((m) => m.name === name) ?? false;
  const envError = project?.environments.find((e) => e.name === selectedEnv)?.error;

  useEffect(() => {
    setDetail(null);
    setError(null);
    setGenerated(null);
    if (!name || !local) return;
    call('migrations/detail', { name }).then(setDetail, (err: Error) => setError(err.message));
  }, [name, local, project]);
  // A finding opened from the check view: show its file.
  useEffect(() => {
    if (focus) setTab(focus.file === 'down.sql' ? 'down' : 'up');
  }, [focus?.file, focus?.line, name]);

  if (!name) return <section className="detail empty-state"><p>Select a migration to see its SQL, or use the actions above.</p></section>;
  const envState = (env: string) => statuses[env]?.migrations.find((m) => m.name === name);
  const generate = async (write: boolean) => {
    if (!selectedEnv) return;
    try {
      const r = await call('migrations/generateDown', { env: selectedEnv, name, write });
      setGenerated(r.sql);
      if (write) setProject((await call('project/current', {}))!);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="detail" aria-label={`Migration ${name}`} data-testid="migration-detail">
      <h2 className="detail-title">{name}</h2>
      {!local && <p className="error">This migration is applied in a database but is not in the migrations folder: its SQL is unknown here.</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <table className="env-table">
        <thead><tr><th>Environment</th><th>State</th><th>Applied at</th><th>Took</th></tr></thead>
        <tbody>
          {project?.environments.map((e) => {
            const m = envState(e.name);
            return (
              <tr key={e.name}>
                <td>{e.name}</td>
                <td>{m ? <><span className={`glyph state-${m.state}`}>{STATE_GLYPH[m.state]}</span> {STATE_LABEL[m.state]}</> : '—'}</td>
                <td>{m?.appliedAt ? new Date(m.appliedAt).toLocaleString() : ''}</td>
                <td>{m?.durationMs != null ? `${m.durationMs} ms` : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {selectedEnv && envState(selectedEnv)?.state === 'failed' && <SettleFailed env={selectedEnv} migration={envState(selectedEnv)!} />}
      {selectedEnv && local && (
        <div className="actions">
          <GatedButton gate={upgradeGate(selectedEnv, statuses[selectedEnv], name, envError)} onClick={() => void openRun(selectedEnv, { direction: 'up', to: name })} testId="upgrade-to-here">Upgrade {selectedEnv} to here</GatedButton>
          <GatedButton gate={rollbackGate(selectedEnv, statuses[selectedEnv], { to: name }, envError)} onClick={() => void openRun(selectedEnv, { direction: 'down', to: name })} testId="rollback-to-here">Roll back {selectedEnv} to here</GatedButton>
        </div>
      )}
      {detail && selectedEnv && envState(selectedEnv)?.state === 'pending' && !detail.upUnanalysed && <DetailAnalysis env={selectedEnv} name={name} />}
      {detail && (
        <>
          <p className="muted">Checksum <code>{detail.checksum.slice(0, 16)}…</code>{detail.upUnanalysed ? ' · unanalysed' : detail.nonTransactional.length ? ` · runs outside a transaction (${detail.nonTransactional.join(', ')})` : ' · runs in one transaction'}</p>
          <Tabs<'up' | 'down'>
            label="Scripts"
            selected={tab}
            onSelect={setTab}
            tabs={[
              { id: 'up', label: 'migration.sql', panel: <><Warnings list={detail.upWarnings} parseError={detail.upUnanalysed ? detail.upParseError : null} /><SqlView code={detail.upSql} label="migration.sql" highlightLines={focus?.file === 'migration.sql' ? [focus.line] : []} /></> },
              {
                id: 'down',
                label: `down.sql${detail.downSql === null ? ' (missing)' : ''}`,
                panel: detail.downSql !== null
                  ? <><Warnings list={detail.downWarnings} parseError={detail.downUnanalysed ? detail.downParseError : null} /><SqlView code={detail.downSql} label="down.sql" highlightLines={focus?.file === 'down.sql' ? [focus.line] : []} /></>
                  : (
                    <div className="missing-down">
                      <p>No down.sql: this migration cannot be rolled back until it has one.</p>
                      <button type="button" onClick={() => void generate(false)} disabled={!selectedEnv}>Generate down.sql</button>
                      {generated && (<><SqlView code={generated} label="generated down.sql" /><button type="button" className="primary" onClick={() => void generate(true)}>Save as down.sql</button></>)}
                    </div>
                  ),
              },
            ]}
          />
        </>
      )}
      <MigrationHistory name={name} />
    </section>
  );
}
