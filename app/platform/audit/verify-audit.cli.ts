/**
 * `npm run audit:verify [-- <seq>:<hash> …]`: checks the keyed hash chain of the audit log (on the configured
 * database, with AUDIT_HMAC_KEY or the data directory's audit-hmac.key), then every anchor — the AuditAnchor
 * table and the heads given as arguments (e.g. printed on signed PDFs). Prints the first broken link or anchor;
 * exit code 1 when anything is broken. Stop the server first on an embedded PGlite database (one process per
 * data directory).
 */
import { disconnectDatabase } from "~/platform/db/db.server";
import { verifyAuditChain } from "./verify-audit.server";

try {
  const external = process.argv.slice(2).map((arg) => {
    const match = /^(\d+):([0-9a-f]{64})$/i.exec(arg.trim());
    if (!match) throw new Error(`Ancre illisible « ${arg} » : attendu <numéro>:<empreinte hexadécimale>`);
    return { seq: match[1], hash: match[2].toLowerCase() };
  });
  const result = await verifyAuditChain(external);
  if (result.broken) {
    console.log(
      `Chaîne d'audit ROMPUE à l'événement n° ${result.broken.seq} (${result.broken.reason}) après ${result.checked} événement(s) valides.`,
    );
    process.exitCode = 1;
  } else {
    const legacy = result.legacy > 0 ? ` dont ${result.legacy} antérieur(s) à la clé` : "";
    const head = result.head ? ` Tête : n° ${result.head.seq} ${result.head.hash}.` : "";
    console.log(`Chaîne d'audit intacte : ${result.checked} événement(s) vérifié(s)${legacy}.${head}`);
  }
  for (const anchor of result.brokenAnchors) {
    console.log(`Ancre n° ${anchor.seq} NON RETROUVÉE (${anchor.source}) : ${anchor.reason}.`);
  }
  if (result.brokenAnchors.length > 0) process.exitCode = 1;
  else console.log(`${result.anchorsChecked} ancre(s) vérifiée(s).`);
} finally {
  await disconnectDatabase();
}
