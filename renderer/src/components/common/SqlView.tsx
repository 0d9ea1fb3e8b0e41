import { useEffect, useRef } from 'react';
import { EditorState, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, lineNumbers } from '@codemirror/view';
import { sql, PostgreSQL } from '@codemirror/lang-sql';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';

/** Read-only SQL with PostgreSQL highlighting (CodeMirror 6); `highlightLines` marks lines (a failing statement). */
export function SqlView({ code, highlightLines = [], label }: { code: string; highlightLines?: number[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const marks = new RangeSetBuilder<Decoration>();
    const doc = EditorState.create({ doc: code }).doc;
    for (const n of [...new Set(highlightLines)].sort((a, b) => a - b)) {
      if (n >= 1 && n <= doc.lines) marks.add(doc.line(n).from, doc.line(n).from, Decoration.line({ class: 'cm-failing-line' }));
    }
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: code,
        extensions: [
          lineNumbers(),
          sql({ dialect: PostgreSQL }),
          syntaxHighlighting(defaultHighlightStyle),
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
          EditorView.lineWrapping,
          EditorView.decorations.of(marks.finish()),
          EditorView.contentAttributes.of({ 'aria-label': label }),
        ],
      }),
    });
    return () => view.destroy();
  }, [code, highlightLines.join(','), label]);
  return <div className="sql-view" ref={host} data-testid={`sql-${label}`} />;
}
