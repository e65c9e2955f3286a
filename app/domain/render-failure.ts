/**
 * What a page says of a signed document whose PDF the render runner gave up on (its RenderJob FAILED after its last
 * attempt: app/signing/render-jobs.server.ts), instead of « PDF en préparation… » forever: that it failed, after how
 * many attempts, and who can try again (the organisation's secretariat or an administrator, through
 * app/signing/retry-render.server.ts).
 */
export type RenderFailure = { attempts: number };

/** `subject`: what failed, as the sentence starts (« Le PDF », « son PDF scellé » after « …, mais »). */
export function renderFailedText(failure: RenderFailure, subject = "Le PDF"): string {
  const attempts = `${failure.attempts} essai${failure.attempts > 1 ? "s" : ""}`;
  return `${subject} n'a pas pu être produit (${attempts}). Le secrétariat de l'organisme peut relancer sa production.`;
}
