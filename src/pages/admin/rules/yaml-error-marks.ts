// A CodeMirror extension that marks the lines a rules-file error points at: a red line background
// with the message as its tooltip, and a marker in the gutter. Errors are pushed in with
// `showYamlErrors`; marks follow the text as it is edited.
import { Decoration, EditorView, GutterMarker, RangeSet, RangeSetBuilder, StateEffect, StateField, gutter, type DecorationSet, type Extension } from '@uiw/react-codemirror';

export interface YamlError {
  /** 1-based; null when the error has no line (e.g. a request that did not reach the parser). */
  line: number | null;
  message: string;
}

class ErrorMarker extends GutterMarker {
  constructor(readonly message: string) {
    super();
  }

  override eq(other: GutterMarker): boolean {
    return other instanceof ErrorMarker && other.message === this.message;
  }

  override toDOM(): Node {
    const dot = document.createElement('span');
    dot.textContent = '●';
    dot.title = this.message;
    dot.className = 'cm-yaml-error-marker';
    return dot;
  }
}

interface Marks {
  lines: DecorationSet;
  markers: RangeSet<GutterMarker>;
}

const setErrors = StateEffect.define<YamlError[]>();

function buildMarks(view: { doc: { lines: number; line(n: number): { from: number } } }, errors: YamlError[]): Marks {
  const byLine = new Map<number, string>();
  for (const error of errors) {
    if (error.line === null) continue;
    const line = Math.min(Math.max(1, error.line), view.doc.lines);
    byLine.set(line, byLine.has(line) ? `${byLine.get(line)}\n${error.message}` : error.message);
  }
  const lines = new RangeSetBuilder<Decoration>();
  const markers = new RangeSetBuilder<GutterMarker>();
  for (const [line, message] of [...byLine.entries()].sort(([a], [b]) => a - b)) {
    const from = view.doc.line(line).from;
    lines.add(from, from, Decoration.line({ class: 'cm-yaml-error-line', attributes: { title: message, 'data-error-line': String(line) } }));
    markers.add(from, from, new ErrorMarker(message));
  }
  return { lines: lines.finish(), markers: markers.finish() };
}

const marksField = StateField.define<Marks>({
  create: () => ({ lines: Decoration.none, markers: RangeSet.empty }),
  update(marks, tr) {
    for (const effect of tr.effects) if (effect.is(setErrors)) return buildMarks(tr.state, effect.value);
    return tr.docChanged ? { lines: marks.lines.map(tr.changes), markers: marks.markers.map(tr.changes) } : marks;
  },
  provide: (field) => EditorView.decorations.from(field, (marks) => marks.lines),
});

const theme = EditorView.baseTheme({
  '.cm-yaml-error-line': { backgroundColor: 'rgba(211, 47, 47, 0.12)' },
  '.cm-yaml-error-marker': { color: '#d32f2f', cursor: 'default', padding: '0 2px' },
});

export function yamlErrorMarks(): Extension {
  return [marksField, gutter({ class: 'cm-yaml-error-gutter', markers: (view) => view.state.field(marksField).markers }), theme];
}

export function showYamlErrors(view: EditorView, errors: YamlError[]): void {
  view.dispatch({ effects: setErrors.of(errors) });
}
