import { useState } from 'react';
import type { CheckFindingDto, CheckReportDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { useApp } from '../../store/index.ts';

type State = { phase: 'idle' } | { phase: 'running' } | { phase: 'done'; report: CheckReportDto } | { phase: 'error'; message: string };

/** One finding, its place a link that opens the migration with the line marked. */
function FindingRow({ f, silenced }: { f: CheckFindingDto; silenced?: boolean }) {
  const showLine = useApp((s) => s.showLine);
  const place = f.migration ? `${f.migration}${f.file ? `/${f.file}` : ''}${f.line ? `:${f.line}` : ''}` : 'the project';
  return (
    <tr data-rule={f.rule} className={silenced ? 'muted' : ''}>
      <td><code>{f.rule}</code></td>
      <td>
        {f.migration && f.file
          ? <button type="button" className="link" onClick={() => showLine(f.migration!, f.file!, f.line)} data-testid="finding-link">{place}</button>
          : <span>{place}</span>}
      </td>
      <td>{f.message}{f.sql && <div><code className="stmt">{f.sql.length > 160 ? `${f.sql.slice(0, 160)}…` : f.sql}</code></div>}{silenced && f.silencedBecause && <div>Silenced: {f.silencedBecause}</div>}</td>
    </tr>
  );
}

/**
 * `godwit check` in the app: ordering, integrity, reversibility on a throwaway database and lint — the same report
 * CI gets, each finding linked to its migration and line, and the Markdown for a pull request.
 */
export function CheckView() {
  const { project, selectedEnv } = useApp();
  const [env, setEnv] = useState<string>(selectedEnv ?? '');
  const [base, setBase] = useState('');
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [copied, setCopied] = useState(false);
  const run = () => {
    setState({ phase: 'running' });
    setCopied(false);
    call('project/check', { ...(env ? { env } : {}), ...(base.trim() ? { base: base.trim() } : { all: true }) }).then(
      (report) => setState({ phase: 'done', report }),
      (err: Error) => setState({ phase: 'error', message: err.message }),
    );
  };
  const r = state.phase === 'done' ? state.report : null;
  return (
    <section className="check-view" aria-label="Check" data-testid="check-view" data-state={state.phase}>
      <form className="form inline" onSubmit={(e) => { e.preventDefault(); run(); }}>
        <label>Compare with environment
          <select value={env} onChange={(e) => setEnv(e.target.value)} aria-label="Compare with environment">
            <option value="">none (folder only)</option>
            {project?.environments.map((e) => <option key={e.name} value={e.name}>{e.name}</option>)}
          </select>
        </label>
        <label>Base git ref (empty: check every migration)
          <input value={base} onChange={(e) => setBase(e.target.value)} placeholder="origin/main" aria-label="Base git ref" spellCheck={false} />
        </label>
        <button type="submit" className="primary" disabled={state.phase === 'running'} data-testid="run-check">{state.phase === 'running' ? 'Checking…' : 'Run check'}</button>
      </form>
      {state.phase === 'idle' && <p className="muted">Checks ordering, integrity, reversibility (each migration up, down and up again on a throwaway database) and lint, as <code>godwit check</code> does in CI.</p>}
      {state.phase === 'running' && <p className="muted" role="status">Running the migrations on a throwaway database…</p>}
      {state.phase === 'error' && <p className="error" role="alert">{state.message}</p>}
      {r && (
        <>
          <p className={r.exitCode === 0 ? 'ok' : 'error'} role="status" data-testid="check-summary" data-findings={r.findings.length}>{r.summary}</p>
          <p className="muted">{r.checked.length} migration(s) checked{r.throwaway ? ` on a throwaway ${r.throwaway === 'server' ? 'database on the server' : 'embedded database'}` : ''}{r.environment ? `, compared with ${r.environment}` : ''}{r.base ? `, since ${r.base.ref}` : ''}.</p>
          {r.findings.length > 0 && (
            <table className="analysis" aria-label="Findings" data-testid="check-findings">
              <thead><tr><th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Finding</th></tr></thead>
              <tbody>{r.findings.map((f, i) => <FindingRow key={i} f={f} />)}</tbody>
            </table>
          )}
          {r.silenced.length > 0 && (
            <details>
              <summary>{r.silenced.length} silenced finding(s)</summary>
              <table className="analysis" aria-label="Silenced findings"><thead><tr><th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Finding</th></tr></thead>
                <tbody>{r.silenced.map((f, i) => <FindingRow key={i} f={f} silenced />)}</tbody></table>
            </details>
          )}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(r.markdown).then(() => setCopied(true), () => setCopied(false))}>{copied ? 'Copied the Markdown report' : 'Copy the Markdown report (for a pull request)'}</button>
        </>
      )}
    </section>
  );
}
