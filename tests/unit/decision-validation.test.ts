/** When a jury's decisions are final (CPNE validation) and what the decision notice says about appeals. */
import { describe, expect, it } from "vitest";
import { checkReturnReason, decisionsFinality, sheetSigned, unsignedSheetsRefusal, VALIDATOR_ROLES } from "~/domain/decision-validation";
import { blockedBy, pendingSignaturesRefusal, stillToSign, type PendingSignature } from "~/domain/pending-signatures";
import { checkAppeal } from "~/domain/appeal";
import { buildNotice, noticeText, type NoticeFacts } from "~/domain/decision-notice";

describe("a document follows the signed fiche de décision (decision 0019)", () => {
  it("only a fiche signed by all its signers counts", () => {
    expect(sheetSigned("SIGNED")).toBe(true);
    for (const status of ["OPEN", "SIGNING", null, undefined] as const) expect(sheetSigned(status)).toBe(false);
  });
  it("names the candidate, where his fiche stands and where the president signs it", () => {
    const one = unsignedSheetsRefusal([{ candidate: "Linh NGUYEN", status: null }], "issue");
    expect(one.message).toBe(
      "La fiche de décision de Linh NGUYEN n'est pas signée par le président du jury : son parchemin ou son attestation ne peut pas être délivré avant. Le président du jury la signe depuis la salle du jury ou depuis le dossier du candidat (« Fiche de décision »).",
    );
    expect(one.details).toEqual(["Linh NGUYEN : sa fiche de décision n'a pas encore été soumise à la signature."]);
    const two = unsignedSheetsRefusal(
      [
        { candidate: "Linh NGUYEN", status: "OPEN" },
        { candidate: "Mamadou DIALLO", status: "SIGNING" },
      ],
      "validate",
    );
    expect(two.message).toMatch(/^Les fiches de décision de 2 candidats ne sont pas signées : la CPNE valide des décisions dont les fiches sont signées par le président du jury\. Le président du jury les signe/);
    expect(two.details[1]).toBe("Mamadou DIALLO : sa fiche de décision est soumise à la signature et attend encore une signature.");
  });
});

describe("a validator who still has to sign the CPNE's validation (decision 0023)", () => {
  const pending = (kind: PendingSignature["kind"], signingRoles: PendingSignature["signingRoles"]): PendingSignature => ({
    userId: "u1",
    kind,
    documentId: "d1",
    sessionId: "s1",
    sessionTitle: "Jury paritaire",
    sessionDate: "2026-11-12T09:00:00.000Z",
    sessionKind: "JURY",
    candidate: kind === "validation" ? null : "Linh NGUYEN",
    href: "/sessions/s1/delivrance",
    signingRoles,
  });
  it("keeps a role that can sign it; a seat's signatures never depend on the role; leaving blocks them all", () => {
    const validation = pending("validation", VALIDATOR_ROLES);
    const sheet = pending("decision", null);
    expect(blockedBy([validation, sheet], "SECRETARIAT")).toEqual([]);
    expect(blockedBy([validation, sheet], "MEMBER")).toEqual([validation]);
    expect(blockedBy([validation, sheet], null)).toEqual([validation, sheet]);
  });
  it("counts only the signers without a signature this round, and names the documents", () => {
    expect(stillToSign([{ userId: "a" }, { userId: "b" }], ["b"])).toEqual([{ userId: "a" }]);
    expect(pendingSignaturesRefusal("Sylvie Suivi", [pending("validation", VALIDATOR_ROLES)], "role")).toBe(
      "Sylvie Suivi doit encore signer : validation CPNE des décisions du jury du 12 novembre 2026, ce que ce rôle ne lui permettrait plus. Recueillez sa signature avant de changer son rôle. Rien n'a été modifié.",
    );
  });
});

describe("decisionsFinality", () => {
  it("needs the jury closed", () => {
    expect(decisionsFinality({ sessionStatus: "OPEN", cpneValidation: false, validation: null })).toMatchObject({ final: false, awaiting: "closing" });
  });
  it("is final at the jury when the scheme asks no validation", () => {
    expect(decisionsFinality({ sessionStatus: "CLOSED", cpneValidation: false, validation: null })).toEqual({ final: true, by: "jury" });
  });
  it("waits for the CPNE's signed validation, and says why after a return", () => {
    expect(decisionsFinality({ sessionStatus: "CLOSED", cpneValidation: true, validation: null })).toMatchObject({ final: false, awaiting: "validation" });
    expect(
      decisionsFinality({ sessionStatus: "CLOSED", cpneValidation: true, validation: { status: "SIGNING", returnedAt: null, returnReason: null } }),
    ).toMatchObject({ final: false, awaiting: "validation" });
    const returned = decisionsFinality({
      sessionStatus: "CLOSED",
      cpneValidation: true,
      validation: { status: "OPEN", returnedAt: new Date(), returnReason: "Avis de l'entreprise manquant" },
    });
    expect(returned).toMatchObject({ final: false, awaiting: "returned" });
    expect(!returned.final && returned.reason).toContain("Avis de l'entreprise manquant");
    const ended = decisionsFinality({
      sessionStatus: "CLOSED",
      cpneValidation: true,
      validation: { status: "OPEN", returnedAt: new Date(), returnReason: "Revoir le dossier de Léa DURAND." },
    });
    expect(!ended.final && ended.reason).toBe("Les décisions ont été renvoyées au jury par la CPNE : Revoir le dossier de Léa DURAND.");
    expect(
      decisionsFinality({ sessionStatus: "CLOSED", cpneValidation: true, validation: { status: "SIGNED", returnedAt: new Date(), returnReason: "x" } }),
    ).toEqual({ final: true, by: "cpne" });
  });
  it("a return needs a reason", () => {
    expect(checkReturnReason("   ").ok).toBe(false);
    expect(checkReturnReason("x".repeat(2001)).ok).toBe(false);
    expect(checkReturnReason("  Dossier incomplet  ")).toEqual({ ok: true, reason: "Dossier incomplet" });
  });
  it("a return's reason is words, not signs or figures", () => {
    for (const reason of [".....", "-----", "12345", "?? !!"]) {
      expect(checkReturnReason(reason)).toEqual({ ok: false, message: "Indiquez le motif du renvoi au jury : un motif s'écrit en quelques mots (au moins 3 lettres)." });
    }
    expect(checkReturnReason("BC2 ?").ok).toBe(false);
    expect(checkReturnReason("Voir BC2").ok).toBe(true);
  });
});

describe("buildNotice", () => {
  const facts: NoticeFacts = {
    organisation: "CPNEF démo",
    candidate: "Linh NGUYEN",
    certification: { code: "RNCP38544", title: "CQP Assistant(e) de formation" },
    overall: "PARTIAL",
    decidedAt: new Date("2026-11-29T10:00:00Z"),
    validatedByCpne: true,
    acquired: [{ code: "RNCP38544BC01", title: "Gestion" }],
    notAcquired: [{ code: "RNCP38544BC02", title: "Ingénierie" }],
    validUntil: new Date("2031-11-29T00:00:00Z"),
    preconisations: "Suivre le module d'ingénierie.",
    adjournmentReason: null,
    records: [{ label: "Attestation de blocs de compétences", number: "CPNEF-2026-000004", verificationUrl: "https://q.example/verifier/abc" }],
    appeal: { allowed: true, deadlineDays: 30 },
    notifiedAt: new Date("2026-12-02T09:00:00Z"),
    contact: "CPNEF démo",
  };
  it("gives the last day an appeal is accepted, in Paris time, across a change of time", () => {
    // 23:30 in Paris on 1 March (winter time); sixty days later it is summer time.
    const notifiedAt = new Date("2027-03-01T22:30:00Z");
    const text = noticeText(buildNotice({ ...facts, notifiedAt, appeal: { allowed: true, deadlineDays: 60 } }));
    expect(text).toContain("soit au plus tard le 30 avril 2027");
    // The letter's own dates write the first of a month as French does: « Fait le 1er mars 2027. », never « 1 mars ».
    expect(text).toContain("Fait le 1er mars 2027.");
    const rules = { appealsAllowed: true, appealDeadlineDays: 60 };
    expect(checkAppeal({ rules, notifiedAt, receivedDay: "2027-04-30", today: "2027-05-02" }).ok).toBe(true);
    expect(checkAppeal({ rules, notifiedAt, receivedDay: "2027-05-01", today: "2027-05-02" }).ok).toBe(false);
  });

  it("tells a decision taken on appeal, and the documents it replaces", () => {
    const onAppeal = { contestedOn: new Date("2026-11-02T10:00:00Z"), replacedRecords: ["CPNEF-2026-000001"] };
    const text = noticeText(buildNotice({ ...facts, onAppeal }));
    expect(text).toContain(
      "Suite à votre recours\nCette décision a été prise sur votre recours contre la décision du jury du 2 novembre 2026, qu'elle remplace. Le document n° CPNEF-2026-000001 est révoqué.",
    );
    expect(noticeText(buildNotice(facts))).not.toContain("recours contre la décision");
  });

  it("gives the appeal deadline counted from the notification", () => {
    const text = noticeText(buildNotice(facts));
    expect(text).toContain("dans un délai de 30 jours à compter de la présente notification, soit au plus tard le 1er janvier 2027");
    expect(text).toContain("décision validée par la CPNE");
    expect(text).toContain("RNCP38544BC02");
    expect(text).toContain("valables jusqu'au 29 novembre 2031");
    expect(text).toContain("Suivre le module d'ingénierie.");
    expect(text).toContain("https://q.example/verifier/abc");
  });
  it("tells a partial decision that completes earlier blocs as the certification delivered, without validity limit", () => {
    const completed = {
      ...facts,
      acquired: [{ code: "RNCP38544BC02", title: "Ingénierie" }],
      notAcquired: [{ code: "RNCP38544BC01", title: "Gestion" }],
      earlierAcquired: [{ code: "RNCP38544BC01", title: "Gestion", decidedAt: new Date("2025-11-20T10:00:00Z") }],
      delivered: true,
      records: [{ label: "Parchemin", number: "CPNEF-2026-000005", verificationUrl: "https://q.example/verifier/def" }],
    };
    const text = noticeText(buildNotice(completed));
    expect(text).toContain(
      "a validé les blocs de compétences qui vous restaient à acquérir : avec ceux que vous aviez déjà acquis, il vous délivre la certification « CQP Assistant(e) de formation (RNCP38544) »",
    );
    expect(text).not.toContain("une partie des blocs");
    expect(text).toContain("Blocs de compétences acquis\nRNCP38544BC02 — Ingénierie (validé par ce jury)\nRNCP38544BC01 — Gestion (acquis le 20 novembre 2025)");
    expect(text).not.toContain("valables");
    expect(text).not.toContain("restant à acquérir");
    // Not delivered: the partial wording, its validity and what remains.
    const partial = noticeText(buildNotice({ ...completed, delivered: false }));
    expect(partial).toContain("a validé une partie des blocs");
    expect(partial).toContain("valables jusqu'au 29 novembre 2031");
    expect(partial).not.toContain("acquis le 20 novembre 2025");
  });
  it("says nothing of appeals where the scheme allows none", () => {
    const text = noticeText(buildNotice({ ...facts, appeal: { allowed: false, deadlineDays: 30 } }));
    expect(text).not.toContain("recours");
  });
});
