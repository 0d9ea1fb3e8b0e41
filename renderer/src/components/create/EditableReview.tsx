import { useState } from 'react';
import type { NewMigrationDto, SqlAnalysisDto } from '../../../../electron/shared/dto.ts';
import { call } from '../../api/transport.ts';
import { SqlEditor } from '../common/SqlEditor.tsx';

// down.sql undoes what migration.sql makes, so its DROPs are expected: shown, but not what a second click is for.
const findings = (a: SqlAnalysisDto) => a.upWarnings.length + (a.upParseError ? 1 : 0) + (a.downParseError ? 1 : 0);

/**
 * The generated migration, editable before it is saved (Prisma proposes DROP + ADD where a rename keeps the data).
 * Saving analyses the edited text again; new destructive statements or parse errors are shown first and saving then
 * needs a second, explicit click for exactly that text.
 */
export function EditableReview({ result, onSave, onDiscard }: { result: NewMigrationDto; onSave(upSql: string, downSql: string): Promise<void>; onDiscard(): void }) {
  const [up, setUp] = useState(result.upSql);
  const [down, setDown] = useState(result.downSql);
  const [analysis, setAnalysis] = useState<{ key: string; result: SqlAnalysisDto } | null>(null);
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = `${up}\u0000${down}`;
  const current = analysis?.key === key ? analysis.result : null;
  const analyse = async () => {
    const r = await call('migrations/analyseSql', { upSql: up, downSql: down });
    setAnalysis({ key, result: r });
    return r;
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = current ?? (await analyse());
      if (findings(r) > 0 && acknowledged !== key) {
        setAcknowledged(key);
        return;
      }
      await onSave(up, down);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const n = current ? findings(current) : 0;
  const edited = up !== result.upSql || down !== result.downSql;
  return (
    <div data-testid="new-migration-review" data-analysis={current ? (n ? 'findings' : 'clean') : 'stale'}>
      <h3><code>{result.name}</code>{edited && <span className="badge risk-medium">edited</span>}</h3>
      {[...result.warnings, ...result.unexecutable].map((w, i) => <p key={i} className="warning">⚠ {w}</p>)}
      {current && (
        <div className="review-analysis" role="status" data-testid="review-analysis">
          {n === 0 && <p className="ok">Analysed as edited: no destructive statement in migration.sql, both scripts parse.</p>}
          {current.upParseError && <p className="error">migration.sql does not parse: {current.upParseError}</p>}
          {current.downParseError && <p className="error">down.sql does not parse: {current.downParseError}</p>}
          {current.upWarnings.map((w, i) => <p key={`u${i}`} className="warning" data-testid="review-warning">⚠ migration.sql line {w.line}: {w.operation} — <code>{w.statement}</code></p>)}
          {current.downWarnings.map((w, i) => <p key={`d${i}`} className="warning">⚠ down.sql line {w.line}: {w.operation} — <code>{w.statement}</code></p>)}
          {current.nonTransactional.length > 0 && <p className="warning">Runs outside a transaction: {current.nonTransactional.join(', ')}</p>}
        </div>
      )}
      <h4>migration.sql</h4>
      <SqlEditor initial={result.upSql} onChange={setUp} label="new migration.sql" resetKey={result.name} />
      <h4>down.sql</h4>
      <SqlEditor initial={result.downSql} onChange={setDown} label="new down.sql" resetKey={result.name} />
      {error && <p className="error" role="alert">{error}</p>}
      <div className="actions">
        <button type="button" onClick={() => void analyse().catch((e: Error) => setError(e.message))} disabled={busy} data-testid="reanalyse">Analyse again</button>
        <span className="spacer" />
        <button type="button" onClick={onDiscard}>Discard</button>
        <button type="button" className={acknowledged === key && n ? 'danger' : 'primary'} onClick={() => void save()} disabled={busy} data-testid="save-migration">
          {acknowledged === key && n ? `Save with ${n} finding(s)` : 'Save migration'}
        </button>
      </div>
    </div>
  );
}
