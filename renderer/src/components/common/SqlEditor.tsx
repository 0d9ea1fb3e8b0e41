import { useEffect, useRef } from 'react';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { sql, PostgreSQL } from '@codemirror/lang-sql';
import { syntaxHighlighting } from '@codemirror/language';
import { sqlHighlight } from './SqlView.tsx';

/**
 * Editable SQL (CodeMirror 6, the same palette as SqlView). The document is created once per `resetKey`; edits go
 * out through `onChange`, so typing never rebuilds the editor or loses the cursor.
 */
export function SqlEditor({ initial, onChange, label, resetKey }: { initial: string; onChange(sql: string): void; label: string; resetKey: string }) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(),
          sql({ dialect: PostgreSQL }),
          syntaxHighlighting(sqlHighlight),
          EditorView.lineWrapping,
          EditorView.updateListener.of((u) => u.docChanged && latest.current(u.state.doc.toString())),
          EditorView.contentAttributes.of({ 'aria-label': label }),
        ],
      }),
    });
    return () => view.destroy();
  }, [resetKey, label]);
  return <div className="sql-view sql-editor" ref={host} data-testid={`edit-${label}`} />;
}
