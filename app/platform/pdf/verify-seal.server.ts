/**
 * Checks a sealed PDF without Poppler, for the archive's « Vérifier » button: the last signature dictionary's
 * /ByteRange must cover the whole file except its /Contents, the CMS SignedData in /Contents must carry a
 * message-digest equal to the hash of those bytes, and its signature over the signed attributes must verify
 * with the embedded signing certificate (whose signing-certificate-v2 hash, when present, must match).
 *
 * It says whether the bytes are those that were sealed and by which certificate; it does not decide whether that
 * certificate is trusted (a demo certificate is flagged, a real one should be compared with the organisation's:
 * `certificateFingerprint`).
 *
 *   const result = verifySealedPdf(bytes, { sha256: stored.sha256, certificateFingerprints: [seal.fingerprint] });
 *   if (result.intact) show(`Scellé par ${result.signer} le …`); else show(result.reason);
 */
import { createHash, verify as nativeVerify, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { OID } from "./cms.server";
import { DEMO_CERTIFICATE_OU } from "./seal-certificate.server";

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

export type SealVerification =
  | {
      intact: true;
      sha256: string;
      signer: string;
      signedAt: Date | null;
      demoCertificate: boolean;
      certificateFingerprint: string;
      subFilter: string | null;
      /** Number of signature dictionaries in the file (the last one is the one checked). */
      signatures: number;
    }
  | {
      intact: false;
      sha256: string;
      /** French, for the user. */
      reason: string;
      signer?: string;
      signedAt?: Date | null;
      demoCertificate?: boolean;
    };

const HASHES: Record<string, string> = {
  [OID.sha256]: "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

export type SealExpectations = {
  /** The SHA-256 stored when the file was sealed: any other file is refused even if validly signed. */
  sha256?: string;
  /** Fingerprints (SHA-256 of the DER, hex) of the organisation's seal certificates, current and past. */
  certificateFingerprints?: string[];
};

export function verifySealedPdf(input: Uint8Array, expected: SealExpectations = {}): SealVerification {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const fail = (reason: string, extra: Partial<Extract<SealVerification, { intact: false }>> = {}): SealVerification => ({
    intact: false,
    sha256,
    reason,
    ...extra,
  });

  if (expected.sha256 && expected.sha256.toLowerCase() !== sha256) {
    return fail("Ce fichier n'est pas celui qui a été archivé : son empreinte SHA-256 est différente.");
  }
  const text = bytes.toString("latin1");
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) return fail("Aucun cachet électronique n'a été trouvé dans ce fichier.");
  const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
  if (a !== 0 || b <= 0 || c <= b || c + d !== bytes.length) {
    return fail("Le cachet ne couvre pas tout le fichier : des octets ont été ajoutés ou retirés après le scellement.");
  }
  const hex = text.slice(b, c);
  if (!/^<[0-9a-fA-F\s]*>$/.test(hex)) return fail("La signature du cachet est illisible (valeur /Contents).");

  const dictionary = signatureDictionary(text, last.index, c);
  const signedAt = dictionary.m ? pdfDate(dictionary.m) : null;

  let cms: ParsedCms;
  try {
    cms = parseCms(Buffer.from(hex.slice(1, -1).replace(/\s/g, ""), "hex"));
  } catch {
    return fail("La signature du cachet est illisible (structure CMS invalide).", { signedAt });
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cms.certificate);
  } catch {
    // One altered byte in the embedded certificate: a broken seal to report, not an error of the server.
    return fail("Le certificat du cachet est illisible : le cachet a été altéré.", { signedAt });
  }
  const signer = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1] ?? x509.subject;
  const demoCertificate = x509.subject === x509.issuer && x509.subject.includes(`OU=${DEMO_CERTIFICATE_OU}`);
  const context = { signer, signedAt, demoCertificate };

  const hash = HASHES[cms.digestAlgorithm];
  if (!hash) return fail(`Algorithme d'empreinte non pris en charge (${cms.digestAlgorithm}).`, context);
  const digest = createHash(hash).update(bytes.subarray(a, a + b)).update(bytes.subarray(c, c + d)).digest();
  if (!cms.messageDigest || !digest.equals(cms.messageDigest)) {
    return fail(
      "Le contenu a été modifié après le scellement : son empreinte ne correspond plus à celle qui a été signée.",
      context,
    );
  }
  if (cms.contentType !== OID.data) return fail("La signature du cachet ne porte pas sur un document PDF.", context);
  if (cms.signingCertificateHash) {
    const certHash = createHash(HASHES[cms.signingCertificateHashAlgorithm] ?? "sha256").update(cms.certificate).digest();
    if (!certHash.equals(cms.signingCertificateHash)) {
      return fail("Le certificat joint n'est pas celui qui a signé (attribut signing-certificate-v2).", context);
    }
  }
  let valid = false;
  try {
    valid = nativeVerify(hash, cms.signedAttributes, x509.publicKey, cms.signature);
  } catch {
    valid = false;
  }
  if (!valid) return fail("La signature ne correspond pas au certificat du cachet : le cachet est falsifié.", context);
  const certificateFingerprint = createHash("sha256").update(cms.certificate).digest("hex");
  if (expected.certificateFingerprints && !expected.certificateFingerprints.includes(certificateFingerprint)) {
    return fail("Le cachet est intact mais n'a pas été apposé avec le certificat de l'organisme.", context);
  }

  return {
    intact: true,
    sha256,
    signer,
    signedAt,
    demoCertificate,
    certificateFingerprint,
    subFilter: dictionary.subFilter,
    signatures: ranges.length,
  };
}

/** /M and /SubFilter of the signature dictionary around a /ByteRange (the object it sits in). */
function signatureDictionary(text: string, at: number, contentsEnd: number) {
  const start = Math.max(text.lastIndexOf(" obj", at), text.lastIndexOf("<<", at) - 4096, 0);
  const endObj = text.indexOf("endobj", contentsEnd);
  const dict = text.slice(start, endObj === -1 ? contentsEnd + 4096 : endObj);
  return {
    m: /\/M\s*\((D:[^)]*)\)/.exec(dict)?.[1] ?? null,
    subFilter: /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dict)?.[1] ?? null,
  };
}

/** D:YYYYMMDDHHmmSS(Z|+HH'mm') → Date. */
export function pdfDate(value: string): Date | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!m) return null;
  const [, y, mo = "01", da = "01", h = "00", mi = "00", s = "00", tz = "Z"] = m;
  const offset = tz === "Z" ? "Z" : `${tz.slice(0, 3)}:${tz.replace(/'/g, "").slice(3, 5)}`;
  const date = new Date(`${y}-${mo}-${da}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

type ParsedCms = {
  certificate: Buffer;
  digestAlgorithm: string;
  signedAttributes: Buffer;
  signature: Buffer;
  messageDigest: Buffer | null;
  contentType: string | null;
  signingCertificateHash: Buffer | null;
  signingCertificateHashAlgorithm: string;
};

const raw = (node: Asn1) => Buffer.from(asn1.toDer(node).getBytes(), "binary");
const bytesOf = (node: Asn1) => Buffer.from(node.value as string, "binary");
const children = (node: Asn1 | undefined) => {
  if (!node || !Array.isArray(node.value)) throw new Error("CMS: unexpected structure");
  return node.value as Asn1[];
};

/** The signed /Contents is zero-padded: parse only the outer TLV. */
function parseCms(der: Buffer): ParsedCms {
  let length: number;
  if (der[0] !== 0x30) throw new Error("CMS: not a SEQUENCE");
  const first = der[1]!;
  if (first < 0x80) length = 2 + first;
  else {
    const n = first & 0x7f;
    length = 2 + n + der.subarray(2, 2 + n).reduce((acc, byte) => acc * 256 + byte, 0);
  }
  const encoded = der.subarray(0, length);
  // Bit strings kept as bytes (forge would otherwise decode them and re-encode a certificate's signature with its
  // unused-bits byte reset), and the whole structure must re-encode to exactly the bytes read: the certificate and
  // attributes checked below are then the ones in the file, not a normalised copy.
  // node-forge's types know only the boolean form of the second argument; it reads this options object at run time.
  const fromDer = asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: { strict: boolean; decodeBitStrings: boolean }) => Asn1;
  const contentInfo = fromDer(forge.util.createBuffer(encoded.toString("binary")), { strict: true, decodeBitStrings: false });
  if (!raw(contentInfo).equals(encoded)) throw new Error("CMS: not DER");
  const [type, explicit] = children(contentInfo);
  if (asn1.derToOid(type!.value as string) !== OID.signedData) throw new Error("CMS: not SignedData");
  const signedData = children(children(explicit)[0]);
  const certificates = signedData.find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  const signerInfos = children(signedData.at(-1));
  const signerInfo = children(signerInfos[0]);
  // SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1]?
  const sid = signerInfo[1]!;
  const digestAlgorithm = asn1.derToOid(children(signerInfo[2])[0]!.value as string);
  const attrsNode = signerInfo[3]!;
  if (attrsNode.tagClass !== asn1.Class.CONTEXT_SPECIFIC || attrsNode.type !== 0) throw new Error("CMS: no signed attributes");
  const signature = bytesOf(signerInfo[5]!);

  // The signature covers the signed attributes encoded as a SET (tag 0x31), not as [0] IMPLICIT.
  const signedAttributes = raw(attrsNode);
  signedAttributes[0] = 0x31;

  let messageDigest: Buffer | null = null;
  let contentType: string | null = null;
  let signingCertificateHash: Buffer | null = null;
  let signingCertificateHashAlgorithm: string = OID.sha256;
  for (const attribute of children(attrsNode)) {
    const [attrType, values] = children(attribute);
    const oid = asn1.derToOid(attrType!.value as string);
    const value = children(values)[0]!;
    if (oid === OID.messageDigest) messageDigest = bytesOf(value);
    else if (oid === OID.contentType) contentType = asn1.derToOid(value.value as string);
    else if (oid === OID.signingCertificateV2) {
      const essCertId = children(children(children(value)[0])[0]);
      if (essCertId[0]!.type === asn1.Type.SEQUENCE) {
        signingCertificateHashAlgorithm = asn1.derToOid(children(essCertId[0])[0]!.value as string);
        signingCertificateHash = bytesOf(essCertId[1]!);
      } else signingCertificateHash = bytesOf(essCertId[0]!);
    }
  }

  // The signing certificate: the one whose issuer and serial number match the SignerInfo's sid.
  const [sidIssuer, sidSerial] = children(sid);
  const wanted = Buffer.concat([raw(sidIssuer!), raw(sidSerial!)]);
  const certificate = children(certificates)
    .map((cert) => {
      const tbs = children(children(cert)[0]);
      const offset = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
      return { cert, key: Buffer.concat([raw(tbs[offset + 2]!), raw(tbs[offset]!)]) };
    })
    .find((c) => c.key.equals(wanted))?.cert;
  if (!certificate) throw new Error("CMS: signing certificate not embedded");
  return {
    certificate: raw(certificate),
    digestAlgorithm,
    signedAttributes,
    signature,
    messageDigest,
    contentType,
    signingCertificateHash,
    signingCertificateHashAlgorithm,
  };
}
