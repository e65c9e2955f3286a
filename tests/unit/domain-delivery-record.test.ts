import { describe, expect, it } from "vitest";
import {
  appealReplacementMention,
  attestationScope,
  base32,
  birthMention,
  chainRoot,
  duplicateMention,
  endOfValidity,
  formatRecordNumber,
  isVerificationCodeShape,
  recordChain,
  recordStatus,
  replacedNotice,
  replacedSentence,
  verificationHeadline,
} from "~/domain/delivery-record";
import { TokenBucketLimiter } from "~/delivery/rate-limit.server";

describe("delivery record rules", () => {
  it("a replaced record says plainly when and by which document, and is never « Valide »", () => {
    const parchemin = { kind: "PARCHEMIN" as const, number: "DEMO-2026-000009", cause: "appeal" as const };
    expect(replacedNotice(parchemin, "3 décembre 2026")).toEqual({
      lead: "Ce document a été remplacé le 3 décembre 2026 par le",
      reference: "document n° DEMO-2026-000009",
      tail: " (parchemin), délivré à la suite d'un recours : il n'est plus valide.",
    });
    expect(replacedSentence({ kind: "ATTESTATION", number: "DEMO-2026-000010", cause: "rectification" }, "4 décembre 2026")).toBe(
      "Ce document a été remplacé le 4 décembre 2026 par le document n° DEMO-2026-000010 (attestation de blocs de compétences), délivré en rectification de celui-ci : il n'est plus valide.",
    );
    expect(appealReplacementMention({ kind: "ATTESTATION", number: "DEMO-2026-000002" }, "3 décembre 2026")).toBe(
      "Document délivré à la suite d'un recours : remplace l'attestation de blocs de compétences n° DEMO-2026-000002, révoquée le 3 décembre 2026",
    );
    expect(appealReplacementMention({ kind: "PARCHEMIN", number: "DEMO-2026-000001" }, null)).toBe("Document délivré à la suite d'un recours : remplace le parchemin n° DEMO-2026-000001");
    expect(verificationHeadline("valid", false)).toEqual({ label: "Valide", valid: true });
    // Between the replacement's issue and its own revocation: replaced, not valid.
    expect(verificationHeadline("valid", true)).toEqual({ label: "Remplacé", valid: false });
    expect(verificationHeadline("revoked", true)).toEqual({ label: "Révoqué", valid: false });
    expect(verificationHeadline("expired", false)).toEqual({ label: "Expiré", valid: false });
  });
  it("a duplicate names its original's kind, number and issue date, agreed in gender", () => {
    expect(duplicateMention({ kind: "PARCHEMIN", number: "DEMO-2026-000003" }, "1 juillet 2026")).toBe(
      "Duplicata du parchemin n° DEMO-2026-000003, délivré le 1 juillet 2026",
    );
    expect(duplicateMention({ kind: "ATTESTATION", number: "DEMO-2026-000004" }, "2 juillet 2026")).toBe(
      "Duplicata de l'attestation de blocs de compétences n° DEMO-2026-000004, délivrée le 2 juillet 2026",
    );
  });

  it("formats numbers per organisation and year", () => {
    expect(formatRecordNumber("demo-branche", 2026, 123)).toBe("DEMO-BRANCHE-2026-000123");
  });
  it("encodes 16 random bytes as a 26-character base32 code", () => {
    const code = base32(new Uint8Array(16).fill(255));
    expect(code).toHaveLength(26);
    expect(isVerificationCodeShape(code)).toBe(true);
    expect(base32(new TextEncoder().encode("foobar"))).toBe("mzxw6ytboi");
    expect(isVerificationCodeShape("ORG-2026-000123")).toBe(false);
  });
  it("gives the public status: revoked wins, expired the day after the end", () => {
    const end = new Date("2031-03-10T00:00:00Z");
    expect(recordStatus({ revokedAt: null, validUntil: end }, new Date("2031-03-10T20:00:00Z"))).toBe("valid");
    expect(recordStatus({ revokedAt: null, validUntil: end }, new Date("2031-03-11T00:00:00Z"))).toBe("expired");
    // The last day is valid whole in Paris (winter, UTC+1): until 23:59:59.999 there, not until midnight UTC.
    expect(recordStatus({ revokedAt: null, validUntil: end }, new Date("2031-03-10T22:59:59.999Z"))).toBe("valid");
    expect(recordStatus({ revokedAt: null, validUntil: end }, new Date("2031-03-10T23:00:00.000Z"))).toBe("expired");
    expect(endOfValidity(end).toISOString()).toBe("2031-03-10T22:59:59.999Z");
    expect(endOfValidity(new Date("2031-03-30T00:00:00Z")).toISOString()).toBe("2031-03-30T21:59:59.999Z"); // summer time from that day
    expect(recordStatus({ revokedAt: new Date(), validUntil: null }, new Date())).toBe("revoked");
  });
  it("gives a record's whole chain: its original and every duplicate at any depth, from any of them", () => {
    const records = [
      { id: "other", duplicateOfId: null },
      { id: "a", duplicateOfId: null },
      { id: "a1", duplicateOfId: "a" },
      { id: "a2", duplicateOfId: "a" },
      { id: "a11", duplicateOfId: "a1" },
      { id: "other1", duplicateOfId: "other" },
    ];
    const ids = (id: string) => recordChain(records, id).map((r) => r.id);
    for (const id of ["a", "a1", "a2", "a11"]) expect(ids(id)).toEqual(["a", "a1", "a2", "a11"]);
    expect(ids("other1")).toEqual(["other", "other1"]);
    expect(chainRoot(records, "a11")?.id).toBe("a");
    expect(ids("missing")).toEqual([]);
    // A cycle (never written, but read defensively) ends the walk instead of looping.
    expect(recordChain([{ id: "x", duplicateOfId: "y" }, { id: "y", duplicateOfId: "x" }], "x").map((r) => r.id).sort()).toEqual(["x", "y"]);
  });
  it("writes a birth abroad without « à » before the country (any article fits: au Sénégal, en France, aux Comores)", () => {
    expect(birthMention("23 août 1992", { birthPlace: null, birthCountry: "Sénégal" })).toBe("23 août 1992 (Sénégal)");
    expect(birthMention("4 mai 1990", { birthPlace: "Lyon (69)", birthCountry: null })).toBe("4 mai 1990 à Lyon (69)");
    expect(birthMention("4 mai 1990", { birthPlace: null })).toBe("4 mai 1990");
  });
  it("says an attestation covers only its blocs", () => {
    expect(attestationScope("RNCP38544", ["RNCP38544BC01"])).toContain("uniquement sur le bloc RNCP38544BC01");
  });
  it("rate limits per address with a token bucket", () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(2, 60, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([true, true, false]);
    expect(limiter.take("b")).toBe(true);
    now += 1_000;
    expect(limiter.take("a")).toBe(true);
  });
});
