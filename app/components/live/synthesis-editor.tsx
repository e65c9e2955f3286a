import { useEffect, useRef, useState } from "react";
import type * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { documentNonce } from "~/components/nonce";
import { coEditedInput } from "~/domain/co-edited-input";
import { withoutInvisible } from "~/domain/safe-text";

/**
 * The commission's synthesis: a CodeMirror editor bound to the grid document's Y.Text, with the other members'
 * cursors and selections (name and colour from awareness). Read-only when the member may not write.
 *
 * What is typed or pasted is checked here before it reaches the document, as the server's schema would check it
 * (app/domain/co-edited-input.ts): an input holding a control or bidirectional character, or taking the text over its
 * limit (`maxLength`, the schema's), is not applied, and the characters the signed PDF cannot print (an emoji from a
 * phone's keyboard) are left out, the rest typed; the editor says which, under it. The server refusing the edit instead rebuilt the editor from its state: the words
 * typed after the character were lost, and with the focus gone, the next keystrokes too.
 */
export function SynthesisEditor({
  binding,
  readOnly,
  labelId,
  field = "synthesis",
  maxLength,
  placeholderText,
  testId = "synthesis",
}: {
  binding: { doc: Y.Doc; provider: WebsocketProvider } | null;
  readOnly: boolean;
  labelId: string;
  /** The Y.Text edited (the minutes' remarks reuse this editor). */
  field?: string;
  /** The text's limit in its document's schema (characters, as Yjs and CodeMirror count them: UTF-16 units). */
  maxLength: number;
  placeholderText?: string;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  // What the editor left out of the last input, and why (French); cleared by the next input kept whole.
  const [refused, setRefused] = useState<string | null>(null);
  const shown = useRef<string | null>(null);
  const tell = useRef((message: string | null) => {
    if (shown.current === message) return;
    shown.current = message;
    setRefused(message);
  });

  useEffect(() => {
    if (!binding || !host.current) return;
    let destroyed = false;
    let destroy = () => {};
    void Promise.all([import("@codemirror/state"), import("@codemirror/view"), import("y-codemirror.next")]).then(
      ([{ EditorSelection, EditorState, Transaction }, { EditorView, placeholder }, { yCollab }]) => {
        if (destroyed || !host.current) return;
        const ytext = binding.doc.getText(field);
        /** The member's input as the document keeps it (see above); other members' edits pass as they are. */
        const inputFilter = EditorState.transactionFilter.of((tr) => {
          if (!tr.docChanged || !tr.isUserEvent("input")) return tr;
          const inserted: Array<{ from: number; to: number; text: string }> = [];
          tr.changes.iterChanges((from, to, _fromB, _toB, text) => inserted.push({ from, to, text: text.toString() }));
          const verdict = coEditedInput(inserted, tr.startState.doc.length, maxLength);
          tell.current(verdict.message);
          if (verdict.kind === "refused") return [];
          if (!verdict.changed) return tr;
          const changes = tr.startState.changes(verdict.inserted.map((k) => ({ from: k.from, to: k.to, insert: k.text })));
          return {
            changes,
            selection: EditorSelection.cursor(changes.mapPos(tr.startState.selection.main.head, 1)),
            annotations: Transaction.userEvent.of(tr.annotation(Transaction.userEvent) ?? "input"),
            scrollIntoView: true,
          };
        });
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
              inputFilter,
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
  }, [binding, readOnly, labelId, field, maxLength, placeholderText]);

  return (
    <>
      <div ref={host} data-testid={testId} className="rounded border border-slate-300 bg-white" />
      {refused && !readOnly ? (
        <p role="alert" className="mt-1 text-sm text-red-700" data-testid={`${testId}-refused`}>
          {refused}
        </p>
      ) : null}
    </>
  );
}
