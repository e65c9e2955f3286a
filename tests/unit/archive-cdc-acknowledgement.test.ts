import { describe, expect, it } from "vitest";
import { AcknowledgementFormatError, parseAcknowledgement } from "~/archive/cdc/acknowledgement";
import {
  applyAcknowledgement,
  declarationDeadline,
  declarationStatus,
  markExported,
  missingSummary,
  passagesToSend,
  RECORD_NOT_DECLARED,
  recordDeclaration,
  TO_SEND_KINDS,
  type PassageRecord,
} from "~/archive/cdc/declaration-status";
import { declaredIdentityKey } from "~/archive/cdc/declaration";

/** Shape of the Caisse des Dépôts' « accusé de traitement », as Pix's import reads it. */
const ACK = `<?xml version="1.0" encoding="UTF-8"?>
<ns2:rapport xmlns:ns2="urn:cdc:cpf:pc5:rapport:schema">
  <nomFichier>accrochage-12ABC345-20261202-143000.xml</nomFichier>
  <idFlux>flux-0001</idFlux>
  <idTraitement>51354</idTraitement>
  <PassagesKO>
    <passage>
      <idTechnique>QRM-rec_karl</idTechnique>
      <messageErreur>Aucun titulaire ne correspond aux critères obligatoires</messageErreur>
    </passage>
    <passage>
      <idTechnique>QRM-rec_old</idTechnique>
      <messageErreur>Le passage de certification existe déjà en base</messageErreur>
    </passage>
  </PassagesKO>
  <PassagesOK>
    <idTechnique>QRM-rec_elodie</idTechnique>
    <idTechnique>QRM-rec_stranger</idTechnique>
  </PassagesOK>
</ns2:rapport>`;

const records: PassageRecord[] = [
  { idTechnique: "QRM-rec_elodie", state: "pending", idFlux: null, message: null },
  { idTechnique: "QRM-rec_karl", state: "pending", idFlux: null, message: null },
  { idTechnique: "QRM-rec_old", state: "pending", idFlux: null, message: null },
  { idTechnique: "QRM-rec_later", state: "pending", idFlux: null, message: null },
];

describe("processing acknowledgement of the Caisse des Dépôts", () => {
  it("reads accepted and rejected passages with their message", () => {
    expect(parseAcknowledgement(ACK)).toEqual({
      fileName: "accrochage-12ABC345-20261202-143000.xml",
      idFlux: "flux-0001",
      idTraitement: "51354",
      passages: [
        { idTechnique: "QRM-rec_karl", status: "rejected", message: "Aucun titulaire ne correspond aux critères obligatoires" },
        // Already declared before: the holder is in the Passeport de compétences.
        { idTechnique: "QRM-rec_old", status: "accepted", message: "Le passage de certification existe déjà en base" },
        { idTechnique: "QRM-rec_elodie", status: "accepted", message: null },
        { idTechnique: "QRM-rec_stranger", status: "accepted", message: null },
      ],
    });
  });

  it("an imported acknowledgement flips the statuses; the next file resends only the rejected passage and new ones", () => {
    const exported = markExported(records, ["QRM-rec_elodie", "QRM-rec_karl", "QRM-rec_old"], "flux-0001");
    expect(declarationStatus({ deliveredOn: "2026-10-01", missing: [], record: exported[0] }, "2026-12-02")).toEqual({
      kind: "exported",
      idFlux: "flux-0001",
    });
    expect(passagesToSend(exported).map((r) => r.idTechnique)).toEqual(["QRM-rec_later"]);

    const { changed, unknown } = applyAcknowledgement(exported, parseAcknowledgement(ACK));
    expect(unknown).toEqual(["QRM-rec_stranger"]);
    expect(changed.map((r) => [r.idTechnique, r.state])).toEqual([
      ["QRM-rec_karl", "rejected"],
      ["QRM-rec_old", "accepted"],
      ["QRM-rec_elodie", "accepted"],
    ]);
    const after = exported.map((r) => changed.find((c) => c.idTechnique === r.idTechnique) ?? r);
    expect(declarationStatus({ deliveredOn: "2026-10-01", missing: [], record: after[0] }, "2026-12-02")).toEqual({
      kind: "accepted",
    });
    expect(declarationStatus({ deliveredOn: "2026-10-01", missing: [], record: after[1] }, "2026-12-02")).toEqual({
      kind: "rejected",
      message: "Aucun titulaire ne correspond aux critères obligatoires",
      deadline: "2027-01-01",
      daysLeft: 30,
    });
    expect(passagesToSend(after).map((r) => r.idTechnique)).toEqual(["QRM-rec_karl", "QRM-rec_later"]);
    // An accepted passage never goes back, even if a later file reports it rejected.
    const again = applyAcknowledgement(after, {
      ...parseAcknowledgement(ACK),
      passages: [{ idTechnique: "QRM-rec_elodie", status: "rejected", message: "x" }],
    });
    expect(again.changed).toEqual([]);
  });

  it("an acknowledgement of an earlier file leaves a passage resent since in a newer one as it is, and names it stale", () => {
    const inA = markExported(records, ["QRM-rec_karl", "QRM-rec_elodie"], "flux-A");
    const ackA = {
      fileName: null,
      idFlux: "flux-A",
      idTraitement: null,
      passages: [
        { idTechnique: "QRM-rec_karl", status: "rejected" as const, message: "Aucun titulaire ne correspond" },
        { idTechnique: "QRM-rec_elodie", status: "accepted" as const, message: null },
      ],
    };
    const first = applyAcknowledgement(inA, ackA);
    expect(first.stale).toEqual([]);
    const afterA = inA.map((r) => first.changed.find((c) => c.idTechnique === r.idTechnique) ?? r);
    // Karl, rejected, is resent in flux B; Élodie, accepted, is not.
    const inB = markExported(afterA, passagesToSend(afterA).map((r) => r.idTechnique), "flux-B");
    expect(inB.find((r) => r.idTechnique === "QRM-rec_karl")).toMatchObject({ state: "exported", idFlux: "flux-B", message: null });
    // A's acknowledgement imported again: Karl still awaits B's; Élodie stays accepted; both answered for an earlier file.
    const again = applyAcknowledgement(inB, ackA);
    expect(again.changed).toEqual([]);
    expect(again.stale).toEqual(["QRM-rec_karl"]);
    // B's own acknowledgement applies.
    const ackB = { ...ackA, idFlux: "flux-B", passages: [{ idTechnique: "QRM-rec_karl", status: "accepted" as const, message: null }] };
    expect(applyAcknowledgement(inB, ackB)).toEqual({
      changed: [{ idTechnique: "QRM-rec_karl", state: "accepted", idFlux: "flux-B", message: null }],
      unknown: [],
      stale: [],
    });
    // Without idFlux (or an empty one), the acknowledgement names no file: it applies as it reads (today's behaviour).
    for (const idFlux of [null, ""]) {
      const anonymous = applyAcknowledgement(inB, { ...ackA, idFlux });
      expect(anonymous.stale).toEqual([]);
      expect(anonymous.changed.map((r) => [r.idTechnique, r.state])).toEqual([["QRM-rec_karl", "rejected"]]);
    }
  });

  it("reads prefixed elements, CDATA, character references and comments as XML does, in one pass", () => {
    const xml = `\uFEFF<?xml version="1.0"?>
<!-- <idTechnique>QRM-in-a-comment</idTechnique> -->
<cdc:rapport xmlns:cdc="urn:cdc:cpf:pc5:rapport:schema">
  <cdc:nomFichier>accrochage&#x2d;1.xml</cdc:nomFichier>
  <cdc:PassagesKO>
    <cdc:passage>
      <cdc:idTechnique> QRM-a&amp;b </cdc:idTechnique>
      <cdc:messageErreur><![CDATA[Date <invalide> & « autre »]]></cdc:messageErreur>
    </cdc:passage>
    <cdc:passage><cdc:messageErreur>sans identifiant</cdc:messageErreur></cdc:passage>
    <cdc:passage><cdc:idTechnique>QRM-both</cdc:idTechnique><cdc:messageErreur>x</cdc:messageErreur></cdc:passage>
  </cdc:PassagesKO>
  <cdc:PassagesOK>
    <cdc:idTechnique/>
    <cdc:idTechnique>QRM-both</cdc:idTechnique>
    <cdc:idTechnique>QRM-&#233;</cdc:idTechnique>
  </cdc:PassagesOK>
  <idTechnique>QRM-outside-any-block</idTechnique>
</cdc:rapport>`;
    expect(parseAcknowledgement(xml)).toEqual({
      fileName: "accrochage-1.xml",
      idFlux: null,
      idTraitement: null,
      passages: [
        { idTechnique: "QRM-a&b", status: "rejected", message: "Date <invalide> & « autre »" },
        // Named rejected, then accepted in the same file: accepted, at its first place.
        { idTechnique: "QRM-both", status: "accepted", message: null },
        { idTechnique: "QRM-é", status: "accepted", message: null },
      ],
    });
  });

  it("reads a file of unclosed elements as naming nothing, in one pass", () => {
    // Each unclosed <nomFichier> once made the parser search the rest of the file for its end (quadratic: a 5 MB
    // file held the event loop for minutes). Now each closing tag is searched for once.
    const unclosed = `<rapport>${"<nomFichier>".repeat(400_000)}`;
    expect(parseAcknowledgement(unclosed)).toEqual({ fileName: null, idFlux: null, idTraitement: null, passages: [] });
    const oneClose = `<rapport><PassagesOK>${"<idTechnique>".repeat(400_000)}Q-1</idTechnique></PassagesOK></rapport>`;
    expect(parseAcknowledgement(oneClose).passages).toHaveLength(1);
  });

  it("refuses characters XML forbids, written or referenced, in French", () => {
    const withMessage = (message: string) =>
      `<rapport><PassagesKO><passage><idTechnique>QRM-1</idTechnique><messageErreur>${message}</messageErreur></passage></PassagesKO></rapport>`;
    expect(() => parseAcknowledgement(withMessage("&#x110000;"))).toThrow("Fichier illisible : la référence de caractère &#x110000;");
    expect(() => parseAcknowledgement(withMessage("abc&#0;def"))).toThrow(AcknowledgementFormatError);
    expect(() => parseAcknowledgement(withMessage("&#99999999999999999999;"))).toThrow(AcknowledgementFormatError);
    expect(() => parseAcknowledgement(withMessage("abc\u0000def"))).toThrow("caractères de contrôle interdits");
    expect(parseAcknowledgement(withMessage("&#x1F642; &#9;")).passages[0]!.message).toBe("🙂");
  });

  it("refuses a file that is not an acknowledgement or carries a DTD", () => {
    expect(() => parseAcknowledgement("<flux/>")).toThrow(AcknowledgementFormatError);
    expect(() => parseAcknowledgement('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rapport>&x;</rapport>')).toThrow(
      "DTD",
    );
  });
});

describe("declaration status per holder", () => {
  it("counts the days left before the 3-month deadline, then past it", () => {
    expect(declarationDeadline("2026-06-30")).toBe("2026-09-30");
    expect(declarationDeadline("2026-11-30")).toBe("2027-02-28");
    expect(declarationStatus({ deliveredOn: "2026-10-01", missing: [], record: null }, "2026-12-02")).toEqual({
      kind: "to_declare",
      deadline: "2027-01-01",
      daysLeft: 30,
    });
    expect(declarationStatus({ deliveredOn: "2026-06-30", missing: [], record: null }, "2026-12-02")).toEqual({
      kind: "past_deadline",
      deadline: "2026-09-30",
      daysLate: 63,
    });
  });

  it("a holder with gaps is not declarable, with what is missing", () => {
    expect(declarationStatus({ deliveredOn: "2026-10-01", missing: ["sexe"], record: null }, "2026-12-02")).toEqual({
      kind: "not_declarable",
      missing: ["sexe"],
      deadline: "2027-01-01",
      daysLeft: 30,
    });
  });

  it("sums up what blocks the holders not declarable, the most frequent first, each once", () => {
    expect(
      missingSummary([
        ["code RNCP ou RS de la certification", "code INSEE de la commune de naissance"],
        ["code INSEE de la commune de naissance"],
        ["sexe", "sexe"],
      ]),
    ).toEqual(["code INSEE de la commune de naissance", "code RNCP ou RS de la certification", "sexe"]);
    expect(missingSummary([])).toEqual([]);
  });
});

describe("a holder whose identity was corrected after the declaration", () => {
  const accepted = { idTechnique: "QRM-rec_elodie", state: "accepted" as const, idFlux: "flux-A", message: null };

  it("is to declare again, with the day of the file that declared it, unless the corrected identity is incomplete", () => {
    const changed = { ...accepted, identityChanged: true };
    expect(declarationStatus({ deliveredOn: "2026-06-01", missing: [], record: changed, declaredOn: "2026-07-02" }, "2026-12-02")).toEqual({
      kind: "identity_changed",
      declaredOn: "2026-07-02",
    });
    expect(declarationStatus({ deliveredOn: "2026-06-01", missing: [], record: { ...changed, state: "exported" } }, "2026-12-02")).toEqual({
      kind: "identity_changed",
      declaredOn: null,
    });
    expect(declarationStatus({ deliveredOn: "2026-06-01", missing: ["sexe"], record: changed }, "2026-12-02")).toMatchObject({ kind: "not_declarable", missing: ["sexe"] });
    expect(declarationStatus({ deliveredOn: "2026-06-01", missing: [], record: accepted }, "2026-12-02")).toEqual({ kind: "accepted" });
    expect(TO_SEND_KINDS).toContain("identity_changed");
  });

  it("goes into the next file, then awaits its acknowledgement as declared", () => {
    const changed = { ...accepted, identityChanged: true };
    expect(passagesToSend([accepted, changed]).map((r) => r.identityChanged ?? false)).toEqual([true]);
    expect(markExported([changed], ["QRM-rec_elodie"], "flux-B")).toEqual([{ idTechnique: "QRM-rec_elodie", state: "exported", idFlux: "flux-B", message: null }]);
    expect(markExported([accepted], ["QRM-rec_elodie"], "flux-B")).toEqual([accepted]);
  });

  it("is told by what the file carries of the identity, not by its spelling elsewhere", () => {
    const holder = { birthName: "Faure", usageName: null, givenNames: "Élodie, Marie", sex: "F", birthDate: "1988-10-27", birthCommuneCode: "38185", birthCommuneName: "Grenoble" };
    const key = declaredIdentityKey(holder);
    expect(declaredIdentityKey({ ...holder, birthName: "FAURE", givenNames: "Élodie Marie" })).toBe(key);
    expect(declaredIdentityKey({ ...holder, birthName: "FAURE-BLANC" })).not.toBe(key);
    expect(declaredIdentityKey({ ...holder, birthDate: "1988-10-28" })).not.toBe(key);
    expect(declaredIdentityKey({ ...holder, birthCommuneCode: "38421" })).not.toBe(key);
  });

  it("says on each record where its holder's declaration stands, or why there is none, once per decision", () => {
    const holder = { status: "to_declare" };
    const parchemin = { kind: "PARCHEMIN" as const, duplicate: false, revoked: false };
    expect(recordDeclaration(parchemin, holder)).toEqual({ kind: "holder", holder });
    expect(recordDeclaration(parchemin, null)).toEqual({ kind: "none", reason: RECORD_NOT_DECLARED.notFinal });
    // Revoked: rectified (its decision still has a holder), the new record says it; not rectified, no holder any more.
    expect(recordDeclaration({ ...parchemin, revoked: true }, holder)).toBeNull();
    expect(recordDeclaration({ ...parchemin, revoked: true }, null)).toEqual({ kind: "none", reason: RECORD_NOT_DECLARED.revoked });
    // A duplicate repeats nothing; an attestation de blocs is not declared, and says so.
    expect(recordDeclaration({ ...parchemin, duplicate: true }, holder)).toBeNull();
    expect(recordDeclaration({ ...parchemin, kind: "ATTESTATION" }, null)).toEqual({ kind: "none", reason: RECORD_NOT_DECLARED.attestation });
  });
});
