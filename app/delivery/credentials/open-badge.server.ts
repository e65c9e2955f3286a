/**
 * Open Badges 3.0 for Quorum's delivery records (issue 16, « Proof anyone can check »): an `OpenBadgeCredential`
 * (W3C Verifiable Credentials 2.0 + OB 3.0.3 context) issued by the organisation's `Profile` (its did:key, name,
 * web address), whose `AchievementSubject` names the holder only through salted hashes (`IdentityObject`s: e-mail
 * and full name; the holder proves them by giving the value, the verifier recomputes the hash) unless
 * `revealHolderName` is set. The achievement carries the registered title, the RNCP/RS code (`humanCode`), the
 * NSF field (`fieldOfStudy`), the national and EQF levels, the registration and each bloc as `alignment`s, the
 * criteria narrative. Signed with a Data Integrity proof `eddsa-rdfc-2022`; revocable through the organisation's
 * Bitstring Status List. Every JSON-LD context is bundled (document-loader.server.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import * as vc from "@digitalbazaar/vc";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import { registryOf } from "~/domain/certification";
import { endOfValidity } from "~/domain/delivery-record";
import { createDocumentLoader, OB_V3_0_3_CONTEXT, VC_V2_CONTEXT } from "./document-loader.server";
import { didOf, isDidKeyUrl } from "./did-key";
import { issuerKeyMaterial, verifyingSuite, type CredentialsContext } from "./issuer.server";
import { signCredentialOffThread } from "./signing-thread.server";
import {
  allocateStatusEntry,
  organisationOfStatusListUrl,
  revokeStatus,
  statusListCredential,
} from "./status-list.server";

export type OpenBadgeInput = {
  organisationId: string;
  /** A URI identifying this credential, stable per delivery record (e.g. `urn:uuid:<record id>`). */
  credentialId: string;
  issuer: { name: string; url?: string; email?: string };
  holder: { fullName: string; email?: string | null };
  achievement: {
    /** total: the whole certification (parchemin); partial: only the named blocs (attestation de blocs). */
    kind: "total" | "partial";
    /** RNCP or RS code of the certification, e.g. RNCP38544 (a branch certification: its branch number). */
    certificationCode: string;
    /** A branch certification's own RNCP or RS registration, when it has one (aligned as its registration). */
    registrationCode?: string | null;
    /** The exact registered title. */
    title: string;
    description?: string;
    criteriaNarrative: string;
    nationalLevel?: number | null;
    eqfLevel?: number | null;
    nsfCodes?: string[];
    /** The blocs this record covers (for a partial delivery: only these). */
    blocs?: { code: string; title: string }[];
  };
  /** Date of the decision (ISO date or Date). */
  validFrom: Date | string;
  /**
   * Last valid day (partial validations): a calendar day, « 2031-06-30 » or its midnight-UTC Date as stored; the
   * credential's `validUntil` is the end of that day in Paris (app/domain/delivery-record.ts `endOfValidity`), as
   * /verifier counts it. Absent or null for life.
   */
  validUntil?: Date | string | null;
  /** Puts the holder's name in clear in the credential (default: salted hash only). */
  revealHolderName?: boolean;
};

type Json = Record<string, unknown>;

function isoDateTime(value: Date | string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new Error(`Date invalide : ${String(value)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `sha256$<hex>` of value + salt, the OB 3.0 IdentityObject hash form. */
export function identityHash(value: string, salt: string): string {
  return `sha256$${createHash("sha256").update(value + salt).digest("hex")}`;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** France Compétences' public page for an RNCP or RS code. */
export function registrationUrl(code: string): string | null {
  const match = /^(RNCP|RS)(\d+)$/.exec(code);
  if (!match) return null;
  return `https://www.francecompetences.fr/recherche/${match[1].toLowerCase()}/${match[2]}/`;
}

/** The unsigned credential (pure apart from the random salt and the status entry given). */
export function buildOpenBadgeCredential(
  input: OpenBadgeInput,
  issuerDid: string,
  credentialStatus: Json,
  salt: string = randomBytes(16).toString("hex"),
): Json {
  const { achievement } = input;
  const code = achievement.certificationCode;
  // A branch certification registered in the RNCP or the RS: its registration is that code's public page.
  const registeredCode = achievement.registrationCode && registryOf(achievement.registrationCode) ? achievement.registrationCode : null;
  const registration = registrationUrl(code) ?? (registeredCode ? registrationUrl(registeredCode) : null);
  const blocs = achievement.blocs ?? [];
  const alignment: Json[] = [];
  alignment.push({
    type: ["Alignment"],
    targetName: `${achievement.title} (${code})`,
    targetCode: code,
    targetFramework: registryOf(code) ?? (registeredCode ? `Certification de branche professionnelle, enregistrée sous ${registeredCode} (${registryOf(registeredCode)})` : "Certification de branche professionnelle"),
    targetType: "ceterms:Credential",
    targetUrl: registration ?? `urn:quorum:certification:${encodeURIComponent(code)}`,
  });
  if (achievement.nationalLevel) {
    alignment.push({
      type: ["Alignment"],
      targetName: `Niveau ${achievement.nationalLevel} du cadre national des certifications professionnelles`,
      targetCode: String(achievement.nationalLevel),
      targetFramework: "Cadre national des certifications professionnelles",
      targetType: "ext:NationalLevel",
      targetUrl: "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000037964754",
    });
  }
  if (achievement.eqfLevel) {
    alignment.push({
      type: ["Alignment"],
      targetName: `EQF level ${achievement.eqfLevel}`,
      targetCode: String(achievement.eqfLevel),
      targetFramework: "European Qualifications Framework",
      targetType: "ext:EQFLevel",
      targetUrl: "https://europa.eu/europass/en/description-eight-eqf-levels",
    });
  }
  for (const bloc of blocs) {
    alignment.push({
      type: ["Alignment"],
      targetName: bloc.title,
      targetCode: bloc.code,
      targetFramework: "Blocs de compétences (France Compétences)",
      targetType: "ceasn:Competency",
      targetUrl: registration ?? `urn:quorum:bloc:${encodeURIComponent(bloc.code)}`,
    });
  }
  const blocLines = blocs.map((bloc) => `${bloc.code} — ${bloc.title}`).join(" ; ");
  const description =
    achievement.kind === "partial"
      ? `Validation partielle de la certification ${code} : uniquement ${blocs.length > 1 ? "les blocs" : "le bloc"} ${blocLines}.` +
        (achievement.description ? ` ${achievement.description}` : "")
      : (achievement.description ?? `Certification ${code} délivrée dans sa totalité.`) +
        (blocLines ? ` Blocs : ${blocLines}.` : "");

  const identifier: Json[] = [];
  if (input.holder.email) {
    identifier.push({
      type: "IdentityObject",
      identityType: "emailAddress",
      hashed: true,
      identityHash: identityHash(normaliseEmail(input.holder.email), salt),
      salt,
    });
  }
  identifier.push(
    input.revealHolderName
      ? { type: "IdentityObject", identityType: "name", hashed: false, identityHash: input.holder.fullName.trim() }
      : {
          type: "IdentityObject",
          identityType: "name",
          hashed: true,
          identityHash: identityHash(input.holder.fullName.trim(), salt),
          salt,
        },
  );

  const issuer: Json = { id: issuerDid, type: ["Profile"], name: input.issuer.name };
  if (input.issuer.url) issuer.url = input.issuer.url;
  if (input.issuer.email) issuer.email = input.issuer.email;

  const achievementJson: Json = {
    id:
      achievement.kind === "partial"
        ? `urn:quorum:achievement:${encodeURIComponent(code)}:${blocs.map((b) => encodeURIComponent(b.code)).join("+")}`
        : `urn:quorum:achievement:${encodeURIComponent(code)}`,
    type: ["Achievement"],
    achievementType: achievement.kind === "partial" ? "Competency" : "Certification",
    name: achievement.kind === "partial" ? `${achievement.title} — ${blocs.map((b) => b.code).join(", ")}` : achievement.title,
    description,
    criteria: { narrative: achievement.criteriaNarrative },
    humanCode: achievement.kind === "partial" ? blocs.map((b) => b.code).join(" ") || code : code,
    inLanguage: "fr",
    alignment,
  };
  if (achievement.nsfCodes?.length) achievementJson.fieldOfStudy = achievement.nsfCodes.map((nsf) => `NSF ${nsf}`).join(", ");

  const credential: Json = {
    "@context": [VC_V2_CONTEXT, OB_V3_0_3_CONTEXT],
    id: input.credentialId,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: achievementJson.name,
    issuer,
    validFrom: isoDateTime(input.validFrom),
    credentialSubject: { type: ["AchievementSubject"], identifier, achievement: achievementJson },
    credentialStatus,
  };
  if (input.validUntil) credential.validUntil = endOfValidity(new Date(isoDateTime(input.validUntil))).toISOString();
  return credential;
}

/** Issues and signs the credential (in the signing thread); allocates (or reuses) its revocation index. */
export async function issueOpenBadge(context: CredentialsContext, input: OpenBadgeInput): Promise<Json> {
  const key = await issuerKeyMaterial(context.store, input.organisationId);
  const status = await allocateStatusEntry(context, input.organisationId, input.credentialId);
  const credential = buildOpenBadgeCredential(input, didOf(key.publicKeyMultibase), status);
  return signCredentialOffThread({ credential, ...key });
}

/** Revokes an issued credential (sets its status bit and re-signs the list). False when unknown here. */
export async function revokeOpenBadge(
  context: CredentialsContext,
  organisationId: string,
  credentialId: string,
): Promise<boolean> {
  return revokeStatus(context, organisationId, credentialId);
}

export type OpenBadgeVerification =
  | { verified: true }
  | { verified: false; reason: "signature" | "revoked" | "expired" | "status" | "format"; message: string };

function issuerKeyOf(credential: Json): string | null {
  const issuer = credential.issuer;
  const id = typeof issuer === "string" ? issuer : typeof issuer === "object" && issuer ? (issuer as Json).id : null;
  return typeof id === "string" && isDidKeyUrl(id) ? id.slice("did:key:".length) : null;
}

function messageOf(error: unknown): string {
  if (!error) return "";
  if (error instanceof Error) {
    const nested = (error as Error & { errors?: unknown[] }).errors;
    return nested?.length ? nested.map(messageOf).join(" ; ") : error.message;
  }
  if (Array.isArray(error)) return error.map(messageOf).join(" ; ");
  return String(error);
}

/**
 * Verifies a credential with the same libraries: proof (eddsa-rdfc-2022 over the canonical form), issuer = key's
 * controller, and revocation status against the list this Quorum serves (resolved locally, verified too).
 * Only credentials issued by a did:key and status lists of this Quorum can be checked offline.
 */
export async function verifyOpenBadge(
  context: CredentialsContext,
  credential: Json,
  options: { now?: Date } = {},
): Promise<OpenBadgeVerification> {
  const now = options.now ?? new Date();
  const issuerKey = issuerKeyOf(credential);
  if (!issuerKey) return { verified: false, reason: "format", message: "Émetteur inconnu (did:key attendu)" };
  const documentLoader = createDocumentLoader({
    issuerKeys: [issuerKey],
    statusList: async (url) => {
      const organisationId = organisationOfStatusListUrl(context.baseUrl, url);
      return organisationId ? statusListCredential(context, organisationId) : null;
    },
  });
  const suite = verifyingSuite();
  let statusError: unknown = null;
  let revoked = false;
  const result = await vc.verifyCredential({
    credential,
    now,
    suite,
    documentLoader,
    checkStatus: async (options) => {
      const status = await checkStatus({ ...options, verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true });
      const results = (status as { results?: { verified: boolean; status?: boolean }[] }).results;
      if (status.verified && results?.some((entry) => entry.status === true)) revoked = true;
      if (!status.verified) statusError = status.error;
      // A set revocation bit fails verification.
      return revoked ? { verified: false, error: new Error("Révoqué") } : status;
    },
  });
  const validUntil = typeof credential.validUntil === "string" ? new Date(credential.validUntil) : null;
  const expired = { verified: false as const, reason: "expired" as const, message: "La validité de ce titre a expiré" };
  // The library allows 5 minutes of clock skew past `validUntil`; Quorum's verification page does not, and the two
  // must agree: past its `validUntil`, a credential otherwise verified has expired.
  if (result.verified) return validUntil && now.getTime() > validUntil.getTime() ? expired : { verified: true };
  if (validUntil && validUntil.getTime() < now.getTime() && /validUntil|expired|after/i.test(messageOf(result.error))) return expired;
  if (revoked) return { verified: false, reason: "revoked", message: "Ce titre a été révoqué par l'organisme certificateur" };
  if (statusError) return { verified: false, reason: "status", message: messageOf(statusError) };
  return { verified: false, reason: "signature", message: messageOf(result.error) || "Preuve invalide" };
}
