/** The form field that carries a creation form's submission key (app/platform/http/submission-key.server.ts). */
export const SUBMISSION_KEY_FIELD = "submissionKey";
