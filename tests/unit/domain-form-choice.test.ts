import { describe, expect, it } from "vitest";
import { z } from "zod";
import { choiceOf, formErrorMap, intentOf } from "~/domain/form-choice";
import { sessionCreateSchema, sessionUpdateSchema } from "~/domain/planning";
import { safeParseScheme } from "~/domain/scheme";

/** Every message of a failed parse. */
const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.success ? [] : result.error!.issues.map((issue) => issue.message);

describe("closed choices of the forms, tampered", () => {
  it("answers a value outside the choice, or none, with the field's French message", () => {
    const choice = choiceOf(["A", "B"], "Choisissez A ou B.");
    expect(messages(choice.safeParse("C"))).toEqual(["Choisissez A ou B."]);
    expect(messages(choice.safeParse(undefined))).toEqual(["Choisissez A ou B."]);
    expect(messages(choice.safeParse(3))).toEqual(["Choisissez A ou B."]);
    expect(choice.parse("B")).toBe("B");
  });

  it("a session's kind and mode: never « Invalid enum value »", () => {
    const form = { kind: "XX", certificationId: "c1", title: "Jury", date: "2026-12-01", startTime: "09:00", endTime: "12:00", mode: "YY" };
    const created = sessionCreateSchema.safeParse(form);
    expect(created.success).toBe(false);
    const byField = Object.fromEntries(created.error!.issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(byField).toMatchObject({
      kind: "Choisissez le type de session : commission d'évaluation ou jury paritaire.",
      mode: "Choisissez : à distance ou en présentiel.",
    });
    expect(messages(sessionUpdateSchema.safeParse(form))).toEqual(["Choisissez : à distance ou en présentiel."]);
    expect(messages(sessionCreateSchema.safeParse({ ...form, mode: undefined, kind: undefined })).join(" ")).not.toMatch(/Invalid|Expected|Required/);
  });

  it("a scheme's choices, as the scheme form's server side reads them", () => {
    const issues = safeParseScheme({
      scale: { kind: "binary" },
      commentRequired: "sometimes",
      jury: { castingVote: "nobody", voteModes: ["shout"], defaultVoteMode: "x", majorityBase: "y", decisionGranularity: "z" },
    });
    expect(issues.ok).toBe(false);
    if (issues.ok) return;
    const text = issues.issues.map((issue) => `${issue.path} : ${issue.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        "commentRequired : Choisissez quand un commentaire est obligatoire.",
        "jury.castingVote : Choisissez qui a voix prépondérante.",
        "jury.voteModes.0 : Mode de décision inconnu.",
        "jury.defaultVoteMode : Choisissez le mode de décision proposé.",
        "jury.majorityBase : Choisissez la base de la majorité.",
        "jury.decisionGranularity : Choisissez si le jury décide bloc par bloc ou compétence par compétence.",
      ]),
    );
    expect(text.join(" ")).not.toMatch(/Invalid enum value/);
  });
});

describe("the French fallback of the forms (formErrorMap), for what a schema does not word", () => {
  const schema = z.object({
    intent: intentOf("status"),
    evidenceId: z.string(),
    text: z.string().max(5).optional(),
    results: z.record(choiceOf(["A", "B"], "Résultat inconnu.")).optional(),
    favourable: z.enum(["yes", "no"], { errorMap: () => ({ message: "Indiquez si l'avis est favorable." }) }),
  });
  const byField = (input: unknown) => {
    const result = schema.safeParse(input, { errorMap: formErrorMap });
    return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
  };

  it("words a missing field, a field of another shape and an unknown intent in French", () => {
    expect(byField({ intent: "delete", text: { x: "a" }, results: "A", favourable: "yes" })).toEqual({
      intent: "Action inconnue.",
      evidenceId: "Champ manquant : rechargez la page et recommencez.",
      text: "Valeur invalide : rechargez la page et recommencez.",
      results: "Valeur invalide : rechargez la page et recommencez.",
    });
    expect(byField({ intent: "status", evidenceId: "e1", text: "trop long" }).text).toBe("5 caractères au plus.");
  });

  it("keeps the field's own message", () => {
    expect(byField({ intent: "status", evidenceId: "e1", results: { c1: "C" }, favourable: "peut-être" })).toEqual({
      "results.c1": "Résultat inconnu.",
      favourable: "Indiquez si l'avis est favorable.",
    });
  });
});
