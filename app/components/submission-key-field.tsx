import { SUBMISSION_KEY_FIELD } from "~/platform/http/submission-key-field";

/**
 * The hidden field of a creation form: the page's submission key, from its loader (new at each load, so after each
 * success). The same submission sent twice creates one thing (app/platform/http/submission-key.server.ts).
 */
export function SubmissionKeyField({ value }: { value: string }) {
  return <input type="hidden" name={SUBMISSION_KEY_FIELD} value={value} />;
}
