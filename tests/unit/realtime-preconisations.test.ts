/**
 * The jury's préconisations: the document's schema (one Y.Text, text only, length cap, safe characters) checked
 * through the server's SchemaGate exactly as the document server runs it, and who reads / writes it
 * (`preconisationsAccess`, the rule the resolver applies).
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  parsePreconisationsDocumentName,
  preconisationsAccess,
  preconisationsReadOnlyReason,
  PRECONISATIONS_MAX_LENGTH,
  type PreconisationsFacts,
} from "~/domain/preconisations";
import { preconisationsDocumentName } from "~/domain/jury-decision";
import { PRECONISATIONS_REFUSALS, preconisationsSchema } from "../../realtime/yjs/preconisations-schema";
import { SchemaGate } from "../../realtime/yjs/schema";

const writer = { userId: "marie", rights: new Set<string>() };

/** A server doc behind its gate, and a client doc whose edits are offered to the gate (then applied when allowed). */
function room() {
  const server = new Y.Doc();
  preconisationsSchema.prepare(server);
  const gate = new SchemaGate(preconisationsSchema, server);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const offer = (edit: (doc: Y.Doc) => void): string | null => {
    const before = Y.encodeStateVector(client);
    edit(client);
    const update = Y.encodeStateAsUpdate(client, before);
    const refusal = gate.check(update, writer);
    if (refusal === null) Y.applyUpdate(server, update);
    return refusal;
  };
  return { server, client, offer };
}

describe("préconisations schema", () => {
  it("accepts typing, deleting and several lines in the one text", () => {
    const { server, offer } = room();
    expect(offer((d) => d.getText("preconisations").insert(0, "Reprendre la mise en situation.\nC5 : "))).toBeNull();
    expect(offer((d) => d.getText("preconisations").insert(37, "approfondir le suivi."))).toBeNull();
    expect(offer((d) => d.getText("preconisations").delete(0, 10))).toBeNull();
    expect(server.getText("preconisations").toString()).toBe("la mise en situation.\nC5 : approfondir le suivi.");
  });

  it("refuses any other part: a map, another text, an array", () => {
    const { server, offer } = room();
    expect(offer((d) => d.getMap("result").set("c1", "ACQUIS"))).toBe(PRECONISATIONS_REFUSALS.unknownPart);
    const second = room();
    expect(second.offer((d) => d.getText("synthesis").insert(0, "Autre"))).toBe(PRECONISATIONS_REFUSALS.unknownPart);
    const third = room();
    expect(third.offer((d) => d.getArray("list").push(["x"]))).not.toBeNull();
    expect(server.share.has("result")).toBe(false);
  });

  it("refuses formatting and embeds: text only", () => {
    const { offer } = room();
    expect(offer((d) => d.getText("preconisations").insert(0, "Gras", { bold: true }))).toBe(PRECONISATIONS_REFUSALS.notText);
    const other = room();
    expect(other.offer((d) => d.getText("preconisations").insertEmbed(0, { image: "x" }))).toBe(PRECONISATIONS_REFUSALS.notText);
  });

  it("refuses control characters and bidirectional overrides with the code point", () => {
    const { offer, server } = room();
    expect(offer((d) => d.getText("preconisations").insert(0, "a\u0000b"))).toBe(PRECONISATIONS_REFUSALS.character("U+0000"));
    const other = room();
    expect(other.offer((d) => d.getText("preconisations").insert(0, "exe\u202Efdp"))).toBe(PRECONISATIONS_REFUSALS.character("U+202E"));
    expect(server.getText("preconisations").toString()).toBe("");
  });

  it("caps the length: one long insert, or the text growing past the limit edit by edit", () => {
    const { offer } = room();
    expect(offer((d) => d.getText("preconisations").insert(0, "x".repeat(PRECONISATIONS_MAX_LENGTH + 1)))).toBe(
      PRECONISATIONS_REFUSALS.tooLong,
    );
    const other = room();
    expect(other.offer((d) => d.getText("preconisations").insert(0, "x".repeat(PRECONISATIONS_MAX_LENGTH)))).toBeNull();
    expect(other.offer((d) => d.getText("preconisations").insert(0, "y"))).toBe(PRECONISATIONS_REFUSALS.tooLong);
    expect(other.server.getText("preconisations").length).toBe(PRECONISATIONS_MAX_LENGTH);
  });
});

describe("préconisations access", () => {
  const base: PreconisationsFacts = {
    role: "MEMBER",
    manages: false,
    sessionStatus: "OPEN",
    phase: "DELIBERATION",
    decided: false,
    sealed: false,
    conflict: false,
  };
  const access = (over: Partial<PreconisationsFacts>) => preconisationsAccess({ ...base, ...over });

  it("names the document by session and agenda item, and parses only that shape", () => {
    const name = preconisationsDocumentName("sess1234abcd", "item5678efgh");
    expect(parsePreconisationsDocumentName(name)).toEqual({ sessionId: "sess1234abcd", agendaItemId: "item5678efgh" });
    expect(parsePreconisationsDocumentName("grid:sess1234abcd:item5678efgh")).toBeNull();
    expect(parsePreconisationsDocumentName("preconisations:sess1234abcd")).toBeNull();
    expect(parsePreconisationsDocumentName("preconisations:../x:item5678efgh")).toBeNull();
  });

  it("seated voting members write during deliberation and decision while the sitting is in progress", () => {
    for (const role of ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"] as const) {
      expect(access({ role })).toBe("write");
      expect(access({ role, phase: "DECISION" })).toBe("write");
    }
  });

  it("observers and the secretary read; the organisation's secretariat reads; strangers get nothing", () => {
    expect(access({ role: "OBSERVER" })).toBe("read");
    expect(access({ role: "SECRETARY" })).toBe("read");
    expect(access({ role: null, manages: true })).toBe("read");
    expect(access({ role: null, manages: false })).toBe("none");
  });

  it("is read-only during the presentation, before the sitting opens, after it closes", () => {
    expect(access({ phase: "PRESENTATION" })).toBe("read");
    expect(access({ sessionStatus: "PLANNED" })).toBe("read");
    expect(access({ sessionStatus: "CLOSED" })).toBe("read");
  });

  it("is read-only once the decision is recorded or the text sealed, and for a member in conflict", () => {
    expect(access({ decided: true })).toBe("read");
    expect(access({ sealed: true })).toBe("read");
    expect(access({ conflict: true })).toBe("read");
    expect(preconisationsReadOnlyReason({ ...base, decided: true })).toMatch(/Décision rendue/);
    expect(preconisationsReadOnlyReason({ ...base, conflict: true })).toMatch(/conflit d'intérêts/);
  });
});
