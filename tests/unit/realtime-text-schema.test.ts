/**
 * The documents that are one co-edited text — the jury's préconisations and the minutes' remarks: their schema (one
 * Y.Text, text only, length cap, safe characters, realtime/yjs/text-schema.ts) checked through the server's
 * SchemaGate exactly as the document server runs it.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MINUTES_REMARKS_MAX_LENGTH, MINUTES_REMARKS_TEXT, minutesDocumentName, parseMinutesDocumentName } from "~/domain/minutes";
import { PRECONISATIONS_MAX_LENGTH, PRECONISATIONS_TEXT } from "~/domain/preconisations";
import { MINUTES_REFUSALS, minutesSchema } from "../../realtime/yjs/minutes-schema";
import { PRECONISATIONS_REFUSALS, preconisationsSchema } from "../../realtime/yjs/preconisations-schema";
import { type DocumentSchema, SchemaGate } from "../../realtime/yjs/schema";

const writer = { userId: "marie", rights: new Set<string>(), vocabulary: null };

const DOCUMENTS = [
  { label: "préconisations", schema: preconisationsSchema, root: PRECONISATIONS_TEXT, max: PRECONISATIONS_MAX_LENGTH, refusals: PRECONISATIONS_REFUSALS },
  { label: "observations du procès-verbal", schema: minutesSchema, root: MINUTES_REMARKS_TEXT, max: MINUTES_REMARKS_MAX_LENGTH, refusals: MINUTES_REFUSALS },
];

/** A server doc behind its gate, and a client doc whose edits are offered to the gate (then applied when allowed). */
function room(schema: DocumentSchema) {
  const server = new Y.Doc();
  schema.prepare(server);
  const gate = new SchemaGate(schema, server);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const offer = (edit: (doc: Y.Doc) => void): ReturnType<SchemaGate["check"]> => {
    const before = Y.encodeStateVector(client);
    edit(client);
    const update = Y.encodeStateAsUpdate(client, before);
    const refusal = gate.check(update, writer);
    if (refusal === null) Y.applyUpdate(server, update);
    return refusal;
  };
  return { server, client, offer };
}

describe.each(DOCUMENTS)("schema of the $label", ({ schema, root, max, refusals }) => {
  const fresh = () => room(schema);

  it("accepts typing, deleting and several lines in the one text", () => {
    const { server, offer } = fresh();
    expect(offer((d) => d.getText(root).insert(0, "Reprendre la mise en situation.\nC5 : "))).toBeNull();
    expect(offer((d) => d.getText(root).insert(37, "approfondir le suivi."))).toBeNull();
    expect(offer((d) => d.getText(root).delete(0, 10))).toBeNull();
    expect(server.getText(root).toString()).toBe("la mise en situation.\nC5 : approfondir le suivi.");
  });

  it("refuses any other part: a map, another text, an array", () => {
    const { server, offer } = fresh();
    expect(offer((d) => d.getMap("result").set("c1", "ACQUIS"))).toBe(refusals.unknownPart);
    expect(fresh().offer((d) => d.getText("synthesis").insert(0, "Autre"))).toBe(refusals.unknownPart);
    expect(fresh().offer((d) => d.getArray("list").push(["x"]))).not.toBeNull();
    expect(server.share.has("result")).toBe(false);
  });

  it("refuses formatting and embeds: text only", () => {
    expect(fresh().offer((d) => d.getText(root).insert(0, "Gras", { bold: true }))).toBe(refusals.notText);
    expect(fresh().offer((d) => d.getText(root).insertEmbed(0, { image: "x" }))).toBe(refusals.notText);
  });

  it("refuses control characters and bidirectional overrides with the code point", () => {
    const { offer, server } = fresh();
    expect(offer((d) => d.getText(root).insert(0, "a\u0000b"))).toBe(refusals.character("U+0000"));
    expect(fresh().offer((d) => d.getText(root).insert(0, "exe\u202Efdp"))).toBe(refusals.character("U+202E"));
    expect(server.getText(root).toString()).toBe("");
  });

  it("refuses what the signed PDF cannot print (an emoji, ideograms), names it, and keeps French, € and « »", () => {
    expect(fresh().offer((d) => d.getText(root).insert(0, "Très bien 🙂"))).toBe(refusals.unprintable("« 🙂 » (U+1F642)"));
    expect(fresh().offer((d) => d.getText(root).insert(0, "idéogramme 漢字"))).toBe(refusals.unprintable("« 漢 » (U+6F22)"));
    const { offer, server } = fresh();
    expect(offer((d) => d.getText(root).insert(0, "Œuvre « réussie » : 12 € — ça c'est l'été, ß, Ω, ½.\tFin"))).toBeNull();
    expect(server.getText(root).toString()).toBe("Œuvre « réussie » : 12 € — ça c'est l'été, ß, Ω, ½.\tFin");
  });

  it("caps the length: one long insert, or the text growing past the limit edit by edit", () => {
    expect(fresh().offer((d) => d.getText(root).insert(0, "x".repeat(max + 1)))).toBe(refusals.tooLong);
    const other = fresh();
    expect(other.offer((d) => d.getText(root).insert(0, "x".repeat(max)))).toBeNull();
    expect(other.offer((d) => d.getText(root).insert(0, "y"))).toBe(refusals.tooLong);
    expect(other.server.getText(root).length).toBe(max);
  });
});

describe("minutes document name", () => {
  it("names the document by session, and parses only that shape", () => {
    expect(parseMinutesDocumentName(minutesDocumentName("sess1234abcd"))).toBe("sess1234abcd");
    expect(parseMinutesDocumentName("minutes:../x")).toBeNull();
    expect(parseMinutesDocumentName("minutes:sess1234abcd:extra")).toBeNull();
    expect(parseMinutesDocumentName("grid:sess1234abcd")).toBeNull();
  });
});
