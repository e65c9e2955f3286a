/**
 * The public verification code of an issued document (delivery record, notice letter, fiche de décision): 16 random
 * bytes in base32, 26 characters (`isVerificationCodeShape`), printed on the document and the key of its page
 * `/verifier/<code>`. Unguessable, so the page enumerates nothing.
 */
import { randomBytes } from "node:crypto";
import { base32 } from "~/domain/delivery-record";

export function newVerificationCode(): string {
  return base32(randomBytes(16));
}
