import { useEffect, useRef } from "react";
import type * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { documentNonce } from "~/components/nonce";
import { withoutInvisible } from "~/domain/safe-text";

/**
 * The commission's synthesis: a CodeMirror editor bound to the grid document's Y.Text, with the other members'
 * cursors and selections (name and colour from awareness). Read-only when the member may not write.
 */
export function SynthesisEditor({
  binding,
  readOnly,
  labelId,
  field = "synthesis",
  placeholderText,
  testId = "synthesis",
}: {
  binding: { doc: Y.Doc; provider: WebsocketProvider } | null;
  readOnly: boolean;
  labelId: string;
  /** The Y.Text edited (the minutes' remarks reuse this editor). */
  field?: string;
  placeholderText?: string;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!binding || !host.current) return;
    let destroyed = false;
    let destroy = () => {};
    void Promise.all([import("@codemirror/state"), import("@codemirror/view"), import("y-codemirror.next")]).then(
      ([{ EditorState }, { EditorView, placeholder }, { yCollab }]) => {
        if (destroyed || !host.current) return;
        const ytext = binding.doc.getText(field);
        const view = new EditorView({
          parent: host.current,
          state: EditorState.create({
            doc: ytext.toString(),
            extensions: [
              // CodeMirror's styles are style elements: the page's CSP admits them with its nonce only.
              EditorView.cspNonce.of(documentNonce()),
              EditorView.lineWrapping,
              // Pasted or dropped text without its invisible characters, which the document would refuse whole.
              EditorView.clipboardInputFilter.of((text) => withoutInvisible(text)),
              EditorState.readOnly.of(readOnly),
              EditorView.editable.of(!readOnly),
              placeholder(
                placeholderText ??
                  (readOnly ? "Aucune synthèse pour l'instant." : "Synthèse de la commission : points forts, axes de progrès…"),
              ),
              EditorView.contentAttributes.of({ "aria-labelledby": labelId, "aria-multiline": "true", role: "textbox" }),
              EditorView.theme({
                "&": { minHeight: "7rem", fontSize: "0.95rem" },
                // The page's font, not CodeMirror's monospace (set on its scroller).
                ".cm-scroller": { fontFamily: "inherit" },
                ".cm-content": { fontFamily: "inherit", padding: "0.5rem" },
                "&.cm-focused": { outline: "3px solid #2d4fd6" },
                // The default placeholder grey (#888) fails WCAG contrast on white.
                ".cm-placeholder": { color: "#475569" },
                // Other members' names stay visible beside their cursors (not only on hover).
                ".cm-ySelectionInfo": { opacity: "1", transitionDelay: "0s" },
              }),
              yCollab(ytext, binding.provider.awareness),
            ],
          }),
        });
        destroy = () => view.destroy();
      },
    );
    return () => {
      destroyed = true;
      destroy();
    };
  }, [binding, readOnly, labelId, field, placeholderText]);

  return <div ref={host} data-testid={testId} className="rounded border border-slate-300 bg-white" />;
}
