/**
 * What the server lets through of a member's presence (realtime/yjs/awareness.ts `ownedState`): the synthesis
 * editor's cursor must come out as Yjs reads it back, whatever the position — at the end of the text too, where Yjs
 * leaves `item` null (the other members' editors crashed on it: no cursor was shown again).
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ownedState } from "../../realtime/yjs/awareness";
import type { Connection } from "../../realtime/yjs/connection";
import type { SharedDocument } from "../../realtime/yjs/document";

const connection = { user: { id: "u-mehdi", email: "membre2@quorum.test", displayName: "Mehdi Membre" }, seatRank: 2 } as unknown as Connection;
const document = { presenceRank: () => 2 } as unknown as SharedDocument;

/** The state a peer receives, as a Y.RelativePosition JSON pair (what y-codemirror.next sends and reads). */
function passed(cursor: unknown) {
  return JSON.parse(ownedState(connection, document, JSON.stringify({ cursor, user: { name: "Pierre Président" } }))) as {
    user: { name: string };
    cursor?: { anchor: Y.RelativePosition; head: Y.RelativePosition } | null;
  };
}

describe("a member's cursor in the synthesis, as the server passes it on", () => {
  it("stays readable by Yjs at the end of the text and inside it; the name is the server's", () => {
    const doc = new Y.Doc();
    const text = doc.getText("synthesis");
    text.insert(0, "Bonne maîtrise des outils.");
    const inside = Y.createRelativePositionFromTypeIndex(text, 5);
    const end = Y.createRelativePositionFromTypeIndex(text, text.length); // item null: the end of « synthesis »
    const state = passed({ anchor: inside, head: end });
    expect(state.user.name).toBe("Mehdi Membre");
    expect(Y.createAbsolutePositionFromRelativePosition(state.cursor!.anchor, doc)?.index).toBe(5);
    expect(Y.createAbsolutePositionFromRelativePosition(state.cursor!.head, doc)?.index).toBe(text.length);
  });

  it("drops a cursor that names no position, and keeps a cleared one", () => {
    expect(passed({ anchor: {}, head: {} }).cursor).toBeUndefined();
    expect(passed({ anchor: { item: { client: "x", clock: 1 } }, head: null }).cursor).toBeUndefined();
    expect(passed(null).cursor).toBeNull();
  });
});
