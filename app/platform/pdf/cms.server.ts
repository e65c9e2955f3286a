/**
 * A CAdES detached signature (CMS SignedData, RFC 5652) of a PDF's ByteRange, as PAdES baseline B-B wants it:
 * signed attributes content-type, message-digest (SHA-256) and signing-certificate-v2 (RFC 5035, the hash of the
 * signing certificate) — and no signing-time attribute (PAdES puts the claimed time in the signature dictionary's
 * /M). The ASN.1 is built with node-forge's encoder; the RSA signature itself is Node's native crypto (fast, off
 * the JavaScript big-integer code).
 */
import { createHash, sign as nativeSign, type KeyObject } from "node:crypto";
import forge from "node-forge";

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  sha256: "2.16.840.1.101.3.4.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  ecdsaWithSHA256: "1.2.840.10045.4.3.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
} as const;

const bin = (bytes: Uint8Array) => Buffer.from(bytes).toString("binary");
const seq = (value: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
const set = (value: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, value);
const oid = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const octets = (bytes: Uint8Array) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bin(bytes));
const integer = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, "");
const algorithm = (id: string, withNull = true) => seq(withNull ? [oid(id), nul()] : [oid(id)]);
const der = (node: Asn1) => Buffer.from(asn1.toDer(node).getBytes(), "binary");
const fromDer = (bytes: Uint8Array) => asn1.fromDer(forge.util.createBuffer(bin(bytes)), false);

/** The issuer Name and serialNumber of a certificate, exactly as encoded in it. */
export function issuerAndSerial(certificateDer: Uint8Array): { issuer: Asn1; serial: Asn1 } {
  const tbs = (fromDer(certificateDer).value as Asn1[])[0]!.value as Asn1[];
  const offset = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0; // [0] version present
  return { serial: tbs[offset]!, issuer: tbs[offset + 2]! };
}

function attribute(type: string, value: Asn1): Asn1 {
  return seq([oid(type), set([value])]);
}

/**
 * Builds the DER of a ContentInfo(SignedData) signing `content` (the PDF without its /Contents value), detached.
 * `certificates` is the signing certificate first, then its chain (may be empty).
 */
export function buildCadesDetached(input: {
  content: Uint8Array;
  privateKey: KeyObject;
  certificates: Uint8Array[];
}): Buffer {
  const [signing, ...chain] = input.certificates;
  if (!signing) throw new Error("buildCadesDetached: a signing certificate is required");
  const { issuer, serial } = issuerAndSerial(signing);
  const digest = createHash("sha256").update(input.content).digest();
  const certHash = createHash("sha256").update(signing).digest();

  // ESSCertIDv2 { hashAlgorithm DEFAULT sha256 (omitted), certHash, issuerSerial { GeneralNames [4] Name, serial } }
  const essCertIdV2 = seq([
    octets(certHash),
    seq([seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer])]), serial]),
  ]);
  const attributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(digest)),
    attribute(OID.signingCertificateV2, seq([seq([essCertIdV2])])),
  ]
    .map(der)
    .sort(Buffer.compare); // DER: SET OF in ascending order of encodings
  const signedAttrsSet = encodeSet(attributes);
  const isEc = input.privateKey.asymmetricKeyType === "ec";
  const signature = nativeSign("sha256", signedAttrsSet, input.privateKey);

  const signedAttrs = fromDer(signedAttrsSet);
  signedAttrs.tagClass = asn1.Class.CONTEXT_SPECIFIC; // [0] IMPLICIT
  signedAttrs.type = 0;

  const signerInfo = seq([
    integer(1),
    seq([issuer, serial]),
    algorithm(OID.sha256),
    signedAttrs,
    isEc ? algorithm(OID.ecdsaWithSHA256, false) : algorithm(OID.rsaEncryption),
    octets(signature),
  ]);
  const signedData = seq([
    integer(1),
    set([algorithm(OID.sha256)]),
    seq([oid(OID.data)]),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signing, ...chain].map((c) => fromDer(c))),
    set([signerInfo]),
  ]);
  return der(seq([oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]));
}

/** DER SET (tag 0x31) around already-encoded, already-sorted elements. */
function encodeSet(elements: Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  return Buffer.concat([Buffer.from([0x31]), derLength(body.length), body]);
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
