import { useEffect, useRef } from 'react';
import { EditorState, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, lineNumbers } from '@codemirror/view';
import { sql, PostgreSQL } from '@codemirror/lang-sql';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

/**
 * SQL colours from the theme's variables (styles.css sets light and dark values, each at least 4.5:1 on the
 * editor's background), instead of CodeMirror's light-only default palette.
 */
export const sqlHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier], color: 'var(--sql-keyword)', fontWeight: '600' },
  { tag: [t.string, t.special(t.string)], color: 'var(--sql-string)' },
  { tag: [t.number, t.bool, t.null], color: 'var(--sql-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--sql-comment)', fontStyle: 'italic' },
  { tag: [t.typeName, t.standard(t.name)], color: 'var(--sql-type)' },
  { tag: [t.special(t.name)], color: 'var(--sql-name)' },
  { tag: [t.operator, t.punctuation, t.bracket], color: 'var(--fg)' },
]);

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
          syntaxHighlighting(sqlHighlight),
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
