/**
 * `npm run audit:verify`: checks the hash chain of the audit log (on the configured database) and prints the
 * first broken link, if any. Exit code 1 when the chain is broken. Stop the server first on an embedded PGlite
 * database (one process per data directory).
 */
import { disconnectDatabase } from "~/platform/db/db.server";
import { verifyAuditChain } from "./verify-audit.server";

try {
  const { checked, broken } = await verifyAuditChain();
  if (broken) {
    console.log(`Chaîne d'audit ROMPUE à l'événement n° ${broken.seq} (${broken.reason}) après ${checked} événement(s) valides.`);
    process.exitCode = 1;
  } else {
    console.log(`Chaîne d'audit intacte : ${checked} événement(s) vérifié(s).`);
  }
} finally {
  await disconnectDatabase();
}
