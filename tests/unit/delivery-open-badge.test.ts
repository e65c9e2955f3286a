import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import jsonld from "jsonld";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileCredentialStore } from "~/delivery/credentials/credential-store.server";
import { createDocumentLoader, UnknownDocumentError } from "~/delivery/credentials/document-loader.server";
import { exportPublicMultikey, issuerIdentity, type CredentialsContext } from "~/delivery/credentials/issuer.server";
import {
  identityHash,
  issueOpenBadge,
  revokeOpenBadge,
  verifyOpenBadge,
  type OpenBadgeInput,
} from "~/delivery/credentials/open-badge.server";
import { statusListCredential, statusListUrl } from "~/delivery/credentials/status-list.server";
import { recordStatus } from "~/domain/delivery-record";

let root: string;
let context: CredentialsContext;
const ORG = "org_demo";

const total: OpenBadgeInput = {
  organisationId: ORG,
  credentialId: "urn:uuid:6f1c1f0e-7b43-4d5e-9c55-3b1d0a6a0001",
  issuer: { name: "CPNE de la formation professionnelle", url: "https://cpne.example.org" },
  holder: { fullName: "Élodie Martin", email: "Elodie.Martin@example.org" },
  achievement: {
    kind: "total",
    certificationCode: "RNCP38544",
    title: "Assistant(e) de formation",
    criteriaNarrative: "Les six compétences du référentiel validées par le jury paritaire.",
    nationalLevel: 5,
    eqfLevel: 5,
    nsfCodes: ["333"],
    blocs: [
      { code: "RNCP38544BC01", title: "Organiser une action de formation" },
      { code: "RNCP38544BC02", title: "Accompagner les apprenants" },
    ],
  },
  validFrom: "2026-06-30",
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "quorum-credentials-"));
  context = {
    store: new FileCredentialStore(root, Buffer.alloc(32, 7).toString("base64")),
    baseUrl: "https://quorum.example.org",
  };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("Open Badges 3.0 credentials", () => {
  it("aligns the achievement on the répertoire its code names, none for a branch's own number (a CQPM's « MQ … »)", async () => {
    const frameworkOf = async (certificationCode: string) => {
      const credential = await issueOpenBadge(context, { ...total, achievement: { ...total.achievement, certificationCode, blocs: [] } });
      const subject = credential.credentialSubject as { achievement: { alignment: Array<Record<string, unknown>> } };
      return subject.achievement.alignment.find((a) => a.targetCode === certificationCode)?.targetFramework;
    };
    expect(await frameworkOf("RNCP38544")).toBe("Répertoire national des certifications professionnelles");
    expect(await frameworkOf("RS5080")).toBe("Répertoire spécifique");
    expect(await frameworkOf("MQ 2017 10 69 0312")).toBe("Certification de branche professionnelle");
  });

  it("issues an OpenBadgeCredential that verifies with the same libraries", async () => {
    const credential = await issueOpenBadge(context, total);
    expect(credential["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]);
    expect(credential.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    const proof = credential.proof as Record<string, unknown>;
    expect(proof.type).toBe("DataIntegrityProof");
    expect(proof.cryptosuite).toBe("eddsa-rdfc-2022");
    const { did } = await issuerIdentity(context.store, ORG);
    expect(credential.issuer).toMatchObject({ id: did, type: ["Profile"], name: total.issuer.name });
    const subject = credential.credentialSubject as { achievement: Record<string, unknown>; identifier: Record<string, unknown>[] };
    expect(subject.achievement).toMatchObject({ humanCode: "RNCP38544", achievementType: "Certification", fieldOfStudy: "NSF 333" });
    // The holder appears only as salted hashes, recomputable from the e-mail or name they show.
    expect(JSON.stringify(credential)).not.toContain("Martin");
    const email = subject.identifier.find((entry) => entry.identityType === "emailAddress")!;
    expect(email.identityHash).toBe(identityHash("elodie.martin@example.org", email.salt as string));
    expect(credential.credentialStatus).toMatchObject({
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListCredential: statusListUrl(context.baseUrl, ORG),
    });
    expect(await verifyOpenBadge(context, credential)).toEqual({ verified: true });
  });

  it("uses only terms the VC 2.0 and OB 3.0.3 contexts define (none falls back to the issuer-dependent vocabulary)", async () => {
    const credential = await issueOpenBadge(context, { ...total, credentialId: "urn:uuid:terms-0008" });
    const { did } = await issuerIdentity(context.store, ORG);
    const expanded = JSON.stringify(
      await jsonld.expand(credential, { documentLoader: createDocumentLoader({ issuerKeys: [did.slice(8)] }), safe: true }),
    );
    expect(expanded).toContain("https://purl.imsglobal.org/spec/vc/ob/vocab.html#humanCode");
    expect(expanded).not.toContain("issuer-dependent#");
  });

  it("fails verification when any signed field is changed", async () => {
    const credential = await issueOpenBadge(context, { ...total, credentialId: "urn:uuid:tamper-0002" });
    const tampered = structuredClone(credential);
    (tampered.credentialSubject as { achievement: { name: string } }).achievement.name = "Directeur(trice) de formation";
    const result = await verifyOpenBadge(context, tampered);
    expect(result.verified).toBe(false);
    expect(result).toMatchObject({ reason: "signature" });
    const laterDate = { ...structuredClone(credential), validFrom: "2027-01-01T00:00:00Z" };
    expect((await verifyOpenBadge(context, laterDate)).verified).toBe(false);
  });

  it("a revoked credential fails its status check, others stay valid", async () => {
    const partial: OpenBadgeInput = {
      ...total,
      credentialId: "urn:uuid:partial-0003",
      achievement: { ...total.achievement, kind: "partial", blocs: [total.achievement.blocs![0]] },
      validUntil: "2031-06-30",
    };
    const revoked = await issueOpenBadge(context, partial);
    const kept = await issueOpenBadge(context, { ...total, credentialId: "urn:uuid:kept-0004" });
    expect((revoked.credentialSubject as { achievement: { description: string } }).achievement.description).toContain(
      "uniquement le bloc RNCP38544BC01",
    );
    expect(await verifyOpenBadge(context, revoked)).toEqual({ verified: true });

    expect(await revokeOpenBadge(context, ORG, "urn:uuid:partial-0003")).toBe(true);
    expect(await revokeOpenBadge(context, ORG, "urn:uuid:partial-0003")).toBe(true); // idempotent
    expect(await verifyOpenBadge(context, revoked)).toMatchObject({ verified: false, reason: "revoked" });
    expect(await verifyOpenBadge(context, kept)).toEqual({ verified: true });
    expect(await revokeOpenBadge(context, ORG, "urn:uuid:never-issued")).toBe(false);

    // The served list is a signed BitstringStatusListCredential from the same issuer.
    const list = await statusListCredential(context, ORG);
    expect(list).toMatchObject({
      id: statusListUrl(context.baseUrl, ORG),
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      credentialSubject: { type: "BitstringStatusList", statusPurpose: "revocation" },
    });
    expect((list!.proof as { cryptosuite: string }).cryptosuite).toBe("eddsa-rdfc-2022");
  });

  it("reissuing the same credential id reuses its status index", async () => {
    const first = await issueOpenBadge(context, { ...total, credentialId: "urn:uuid:same-0005" });
    const second = await issueOpenBadge(context, { ...total, credentialId: "urn:uuid:same-0005" });
    expect((second.credentialStatus as { statusListIndex: string }).statusListIndex).toBe(
      (first.credentialStatus as { statusListIndex: string }).statusListIndex,
    );
  });

  it("a partial validation past its validity end is reported expired", async () => {
    const expired = await issueOpenBadge(context, {
      ...total,
      credentialId: "urn:uuid:expired-0007",
      achievement: { ...total.achievement, kind: "partial", blocs: [total.achievement.blocs![1]] },
      validFrom: "2019-01-10",
      validUntil: "2024-01-10",
    });
    // The end of 10 January 2024 in Paris (winter, UTC+1), not its first instant in UTC.
    expect(expired.validUntil).toBe("2024-01-10T22:59:59.999Z");
    expect(await verifyOpenBadge(context, expired)).toMatchObject({ verified: false, reason: "expired" });
  });

  it("is valid the whole last day in Paris and expires with it, as /verifier says at every instant", async () => {
    const attestation = await issueOpenBadge(context, {
      ...total,
      credentialId: "urn:uuid:boundary-0009",
      achievement: { ...total.achievement, kind: "partial", blocs: [total.achievement.blocs![0]] },
      validFrom: "2026-06-30",
      validUntil: "2031-06-30",
    });
    // Summer: 30 June ends at 21:59:59.999Z (UTC+2).
    expect(attestation.validUntil).toBe("2031-06-30T21:59:59.999Z");
    const record = { revokedAt: null, validUntil: new Date("2031-06-30T00:00:00Z") };
    const instants: [string, "valid" | "expired"][] = [
      ["2031-06-29T22:00:00.000Z", "valid"], // 30 June, 00:00 in Paris
      ["2031-06-30T12:00:00.000Z", "valid"],
      ["2031-06-30T21:59:59.999Z", "valid"], // 30 June, 23:59:59.999 in Paris
      ["2031-06-30T22:00:00.000Z", "expired"], // 1 July, 00:00 in Paris
      ["2031-06-30T22:03:00.000Z", "expired"], // within the library's 5-minute clock skew
      ["2031-06-30T23:59:59.999Z", "expired"], // still 30 June in UTC: the page used to say « Valide » here
    ];
    for (const [at, expected] of instants) {
      const now = new Date(at);
      expect(recordStatus(record, now), at).toBe(expected);
      const verification = await verifyOpenBadge(context, attestation, { now });
      expect(verification.verified ? "valid" : (verification as { reason: string }).reason, at).toBe(expected);
    }
  });

  it("hands out distinct status indexes to credentials issued at the same time", async () => {
    const issued = await Promise.all(
      Array.from({ length: 6 }, (_, i) => issueOpenBadge(context, { ...total, credentialId: `urn:uuid:burst-${i}` })),
    );
    const indexes = issued.map((credential) => (credential.credentialStatus as { statusListIndex: string }).statusListIndex);
    expect(new Set(indexes).size).toBe(6);
  });

  it("the document loader answers bundled contexts and refuses any other URL without the network", async () => {
    const loader = createDocumentLoader();
    const v2 = await loader("https://www.w3.org/ns/credentials/v2");
    expect(v2.document).toHaveProperty("@context");
    await expect(loader("https://example.com/evil-context.json")).rejects.toBeInstanceOf(UnknownDocumentError);
    await expect(loader("https://www.w3.org/ns/did/v1")).rejects.toBeInstanceOf(UnknownDocumentError);
    // did:key documents only for the issuers it was built for.
    const { did } = await issuerIdentity(context.store, ORG);
    await expect(loader(did)).rejects.toBeInstanceOf(UnknownDocumentError);
    const known = createDocumentLoader({ issuerKeys: [did.slice("did:key:".length)] });
    expect((await known(did)).document).toMatchObject({ id: did, assertionMethod: [expect.stringContaining(did)] });
  });

  it("a credential naming a context Quorum does not ship is refused", async () => {
    const credential = await issueOpenBadge(context, { ...total, credentialId: "urn:uuid:ctx-0006" });
    const foreign = { ...credential, "@context": [...(credential["@context"] as string[]), "https://example.com/ctx.json"] };
    const result = await verifyOpenBadge(context, foreign);
    expect(result).toMatchObject({ verified: false, message: expect.stringContaining("https://example.com/ctx.json") });
  });

  it("keeps the organisation's key once, sealed, in a 0600 file; exports the public multikey", async () => {
    const first = await issuerIdentity(context.store, ORG);
    const again = await issuerIdentity(context.store, ORG);
    expect(again).toEqual(first);
    const file = path.join(root, ORG, "issuer-key.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, "utf8"));
    expect(stored.secretKey.alg).toBe("A256GCM");
    expect(JSON.stringify(stored)).not.toMatch(/"secretKeyMultibase"/);
    const exported = await exportPublicMultikey(context.store, ORG);
    expect(exported).toMatchObject({ type: "Multikey", publicKeyMultibase: first.publicKeyMultibase });
    expect(exported).not.toHaveProperty("secretKeyMultibase");
    // A different key-encryption key cannot open it.
    const wrong = new FileCredentialStore(root, Buffer.alloc(32, 9).toString("base64"));
    await expect(issuerIdentity(wrong, ORG)).rejects.toThrow();
  });
});
