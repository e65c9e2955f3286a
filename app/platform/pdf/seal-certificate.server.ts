/**
 * The organisation's seal certificate, used to PAdES-seal every PDF Quorum issues.
 *
 * - Configured: `QUORUM_SEAL_P12` is the path of a PKCS#12 file (.p12/.pfx: the RSA private key, its certificate
 *   and optionally the chain) and `QUORUM_SEAL_P12_PASSWORD` its password.
 * - Not configured: a self-signed demo certificate (RSA 3072, CN « <organisation> — cachet de démonstration »,
 *   OU « Quorum — certificat de démonstration », 10 years) is created once in `<data dir>/seal/` (directory 0700,
 *   key file 0600) and reused afterwards; `isDemoCertificate` is then true so pages and the PDF can say so.
 *
 * Loaded once per process (cached promise); `resetSealCertificateCache()` is for tests.
 */
import { createHash, createPrivateKey, generateKeyPair, X509Certificate, type KeyObject } from "node:crypto";
import { chmod, link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import forge from "node-forge";

export const DEMO_CERTIFICATE_OU = "Quorum — certificat de démonstration";
export const DEMO_CN_SUFFIX = " — cachet de démonstration";

export type SealCertificate = {
  privateKey: KeyObject;
  /** DER of the signing certificate first, then the rest of the chain found in the PKCS#12. */
  certificates: Uint8Array[];
  /** The certificate's subject common name (or full subject when it has none). */
  signer: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the signing certificate's DER, hex, lowercase. */
  fingerprint: string;
  isDemoCertificate: boolean;
  /** Where it came from: the PKCS#12 path, or the demo bundle path. */
  source: string;
};

export type SealCertificateOptions = {
  /** Organisation name, used only for a demo certificate's subject. */
  organisation: string;
  /** Default: QUORUM_DATA_DIR or ./data. */
  dataDir?: string;
  env?: Record<string, string | undefined>;
};

let cached: { key: string; value: Promise<SealCertificate> } | undefined;

export function loadSealCertificate(options: SealCertificateOptions): Promise<SealCertificate> {
  const env = options.env ?? process.env;
  const dataDir = path.resolve(options.dataDir ?? env.QUORUM_DATA_DIR ?? "data");
  const key = env.QUORUM_SEAL_P12 ? `p12:${path.resolve(env.QUORUM_SEAL_P12)}` : `demo:${dataDir}`;
  if (cached?.key !== key) {
    const value = env.QUORUM_SEAL_P12
      ? loadPkcs12(path.resolve(env.QUORUM_SEAL_P12), env.QUORUM_SEAL_P12_PASSWORD ?? "")
      : loadOrCreateDemo(dataDir, options.organisation);
    cached = { key, value };
    value.catch(() => {
      if (cached?.value === value) cached = undefined;
    });
  }
  return cached.value;
}

export function resetSealCertificateCache(): void {
  cached = undefined;
}

function describe(
  privateKey: KeyObject,
  certificates: Uint8Array[],
  isDemoCertificate: boolean,
  source: string,
): SealCertificate {
  const x509 = new X509Certificate(certificates[0]!);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1];
  return {
    privateKey,
    certificates,
    signer: cn ?? x509.subject.replace(/\n/g, ", "),
    subject: x509.subject.replace(/\n/g, ", "),
    issuer: x509.issuer.replace(/\n/g, ", "),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    fingerprint: createHash("sha256").update(certificates[0]!).digest("hex"),
    isDemoCertificate,
    source,
  };
}

async function loadPkcs12(file: string, password: string): Promise<SealCertificate> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch {
    throw new Error(`QUORUM_SEAL_P12 : fichier illisible (${file})`);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(raw.toString("binary")), false, password);
  } catch {
    throw new Error("QUORUM_SEAL_P12 : fichier PKCS#12 invalide ou mot de passe (QUORUM_SEAL_P12_PASSWORD) incorrect");
  }
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)].find((b) => b.key);
  if (!keyBag?.key) throw new Error("QUORUM_SEAL_P12 : aucune clé privée RSA dans le fichier PKCS#12");
  const forgeKey = keyBag.key as forge.pki.rsa.PrivateKey;
  const certs = bags(forge.pki.oids.certBag!).flatMap((b) => (b.cert ? [b.cert] : []));
  const signing = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(forgeKey.n) === 0 && pub.e?.compareTo(forgeKey.e) === 0;
  });
  if (!signing) throw new Error("QUORUM_SEAL_P12 : aucun certificat ne correspond à la clé privée");
  const toDer = (c: forge.pki.Certificate) =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), "binary");
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
  return describe(privateKey, [signing, ...certs.filter((c) => c !== signing)].map(toDer), false, file);
}

async function loadOrCreateDemo(dataDir: string, organisation: string): Promise<SealCertificate> {
  const dir = path.join(dataDir, "seal");
  const bundle = path.join(dir, "demo-seal.pem");
  const fromPem = (pem: string) => {
    const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)?.[0];
    const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!key || !cert) throw new Error(`Cachet de démonstration illisible : ${bundle} (supprimez-le pour le recréer)`);
    return describe(createPrivateKey(key), [new X509Certificate(cert).raw], true, bundle);
  };
  try {
    return fromPem(await readFile(bundle, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pem = await createDemoBundle(organisation);
  // Write aside, then link into place: atomic, and a concurrent creator's bundle wins (EEXIST) rather than mixing.
  const temp = `${bundle}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, pem, { mode: 0o600 });
  await chmod(temp, 0o600);
  try {
    await link(temp, bundle);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(temp, { force: true });
  }
  return fromPem(await readFile(bundle, "utf8"));
}

const generateRsa = promisify(generateKeyPair);

/** PEM bundle (PKCS#8 private key + certificate) of a new self-signed demo seal certificate. */
export async function createDemoBundle(organisation: string, now = new Date()): Promise<string> {
  const { privateKey, publicKey } = await generateRsa("rsa", {
    modulusLength: 3072,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365.25 * 24 * 3600 * 1000);
  const utf8 = (shortName: string, value: string) => ({
    shortName,
    value, // node-forge UTF-8-encodes UTF8String values itself
    valueTagClass: forge.asn1.Type.UTF8 as unknown as number,
  });
  const name = [
    { shortName: "C", value: "FR" },
    utf8("O", organisation),
    utf8("OU", DEMO_CERTIFICATE_OU),
    utf8("CN", `${organisation}${DEMO_CN_SUFFIX}`),
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  // node-forge signs with a PKCS#1 key object; convert once (slow JS RSA, but only at creation).
  const forgeKey = forge.pki.privateKeyFromAsn1(
    forge.asn1.fromDer(
      forge.util.decode64(privateKey.replace(/-----[A-Z ]+-----|\s/g, "")),
    ),
  );
  cert.sign(forgeKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return `${privateKey}${forge.pki.certificateToPem(cert)}`;
}
