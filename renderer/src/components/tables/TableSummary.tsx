import type { TableStructureDto } from '../../../../electron/shared/dto.ts';
import { formatBytes } from '../analysis/format.ts';

const size = (n: number | null) => (n === null ? '—' : formatBytes(n));
const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : 'never');

/** The table's name, kind, comment, and the numbers a DBA checks first: rows, sizes, last vacuum and analyse. */
export function TableSummary({ s }: { s: TableStructureDto }) {
  const st = s.stats;
  return (
    <header className="table-summary">
      <h2><span className="muted">{s.kind}</span> <code>{s.schema}.{s.name}</code></h2>
      {s.comment && <p className="table-comment">{s.comment}</p>}
      <dl className="table-stats" data-testid="table-stats">
        <div><dt>Rows (estimate)</dt><dd>{st.rowsEstimate === null ? '—' : `~${st.rowsEstimate.toLocaleString('en-US')}`}{!st.lastAnalyze && <span className="muted unanalysed"> not analysed</span>}</dd></div>
        <div><dt>Total size</dt><dd>{size(st.totalBytes)}</dd></div>
        <div><dt>Table</dt><dd>{size(st.tableBytes)}</dd></div>
        <div><dt>Indexes</dt><dd>{size(st.indexBytes)}</dd></div>
        <div><dt>TOAST</dt><dd>{size(st.toastBytes)}</dd></div>
        <div><dt>Last vacuum</dt><dd>{day(st.lastVacuum)}</dd></div>
        <div><dt>Last analyse</dt><dd>{day(st.lastAnalyze)}</dd></div>
      </dl>
    </header>
  );
}
