/**
 * « Constater l'empêchement d'un signataire »: a person named among a document's signers who can no longer sign it
 * (deceased, long illness, left the branch and unreachable) blocked it for good — no signature, no completion, no PDF,
 * and the person could not leave the organisation (decision 0023). The organisation's administration or secretariat
 * records the empêchement, with its reason; the round then completes with the other signers' signatures, and the
 * certificate page names the person as prevented, with the reason and who recorded it. It is never a signature: no
 * document says someone signed who did not. The president of a procès-verbal or of a fiche de décision may be replaced:
 * the session's vice-president, named with the empêchement, signs in his stead (« signé par X, vice-président(e), pour
 * le président Y empêché »). Pure rules, no I/O (docs/decisions/0028-signer-unable-to-sign.md).
 */
import { MOTIVE_TOO_SHORT, motiveProblem } from "./motive";

/** Longest reason kept (it is printed on the certificate page). */
export const UNAVAILABILITY_REASON_MAX = 300;

/** What the reason's field says when it is refused, or null when it is fine. */
export function unavailabilityReasonProblem(reason: string): string | null {
  const problem = motiveProblem(reason);
  if (problem === "missing") return "Indiquez le motif de l'empêchement (il figurera sur le certificat de signature).";
  if (problem === "short") return `Motif trop court : ${MOTIVE_TOO_SHORT}.`;
  if (reason.trim().length > UNAVAILABILITY_REASON_MAX) return `Motif trop long : ${UNAVAILABILITY_REASON_MAX} caractères au plus.`;
  return null;
}

export type UnavailabilityState = {
  /** The document's signers this round, in order. */
  signers: ReadonlyArray<{ userId: string; displayName: string }>;
  /** Who signed this round (signatures not voided). */
  signed: ReadonlySet<string>;
  /** Whose empêchement is already recorded this round. */
  unavailable: ReadonlySet<string>;
  /**
   * Prevented signers whose empêchement names a replacement (the vice-president signing for the president), mapped to
   * whether the replacement has signed for them yet. Absent: nobody replaces anyone.
   */
  replaced?: ReadonlyMap<string, { replacementId: string; signed: boolean }>;
};

/**
 * Why the empêchement of `userId` cannot be recorded (French), or null. Already recorded: null too (the command is
 * idempotent). At least one signer must sign: a document nobody signed is not a signed document.
 */
export function unavailabilityRefusal(state: UnavailabilityState, userId: string, options: { replacementNamed?: boolean } = {}): string | null {
  const signer = state.signers.find((s) => s.userId === userId);
  if (!signer) return "Cette personne n'est pas signataire de ce document.";
  if (state.signed.has(userId)) return `${signer.displayName} a déjà signé ce document : il n'y a pas d'empêchement à constater.`;
  if (state.unavailable.has(userId)) return null;
  const replacing = [...(state.replaced ?? [])].find(([, r]) => r.replacementId === userId && !r.signed);
  if (replacing) {
    const president = state.signers.find((s) => s.userId === replacing[0])?.displayName ?? "le président";
    return `${signer.displayName} doit signer pour ${president}, empêché(e) : son propre empêchement ne peut pas être constaté tant qu'il ou elle le remplace. Rouvrez le document pour le faire signer autrement, ou recueillez sa signature.`;
  }
  // A replacement named signs in the person's stead: the document is still signed by someone (the rule below).
  if (!options.replacementNamed && isLastPossibleSigner(state, userId)) {
    return `${signer.displayName} est le dernier signataire possible : un document que personne ne signe n'est pas un document signé. Rouvrez-le pour le faire signer autrement, ou recueillez sa signature.`;
  }
  return null;
}

/**
 * Whether `userId` is the only signer left who could still sign (every other one recorded as prevented): their
 * empêchement is refused, and the members page says so instead of offering it.
 */
export function isLastPossibleSigner(
  state: { signers: ReadonlyArray<{ userId: string }>; unavailable: ReadonlySet<string>; replaced?: ReadonlyMap<string, unknown> },
  userId: string,
): boolean {
  // A prevented signer whose replacement signs for them still counts as someone who signs (decision 0028).
  return !state.signers.some((s) => s.userId !== userId && (!state.unavailable.has(s.userId) || state.replaced?.has(s.userId)));
}

/**
 * Whether every signer has signed, or is recorded as prevented with nobody named to sign for them, or with their
 * replacement's signature given (and the round can complete).
 */
export function everyoneAccountedFor(state: UnavailabilityState): boolean {
  return state.signers.every((s) => {
    if (state.signed.has(s.userId)) return true;
    if (!state.unavailable.has(s.userId)) return false;
    const replacement = state.replaced?.get(s.userId);
    return !replacement || replacement.signed;
  });
}

/** The facts of a session that decide whether its vice-president may sign for its prevented president. */
export type ReplacementFacts = {
  /** The document kind accepts a replacement (the procès-verbal, the fiche de décision); otherwise its French label. */
  kindAccepts: boolean;
  kindLabel: string;
  /** The prevented signer's seat role on the session. */
  preventedRole: string;
  preventedName: string;
  /** The session's vice-president seat, if any. */
  viceChair: { userId: string; displayName: string } | null;
  /** The person the administration named (must be that vice-president). */
  namedId: string;
  /** Whether the vice-president must have attended (a jury's procès-verbal, a fiche: present at the decision). */
  attendanceRequired: boolean;
  attended: boolean;
  /** Why the vice-president is recused for the fiche's candidate (declared conflict, trainer, evaluator), or null. */
  recusal: string | null;
  /** The vice-president is himself recorded as prevented this round. */
  viceChairPrevented: boolean;
};

/**
 * Why the named person cannot sign in the prevented signer's stead (French), or null. Only the president of a
 * procès-verbal or of a fiche de décision is replaced, and only by the session's vice-president (« President and
 * vice-president from opposite colleges »: in French juries the vice-president signs for the prevented president),
 * who attended when attendance matters, is not recused for the fiche's candidate, and is not prevented himself. The
 * one rule of both the members page (which offers to name the vice-president only when this is null, and says this
 * sentence otherwise) and the command (`replacementRefusal`).
 */
export function replacementObstacle(facts: ReplacementFacts): string | null {
  if (!facts.kindAccepts) {
    return `Un remplaçant ne peut être désigné que pour le président d'un procès-verbal ou d'une fiche de décision, pas pour ${facts.kindLabel}.`;
  }
  if (facts.preventedRole === "VICE_PRESIDENT") {
    return `${facts.preventedName} est le ou la vice-président(e) : il ou elle ne peut pas signer à sa propre place. Seul le président empêché est remplacé par la vice-présidence.`;
  }
  if (facts.preventedRole !== "PRESIDENT") {
    return `Seul le président empêché peut être remplacé (par la vice-présidence) : ${facts.preventedName} ne préside pas cette séance.`;
  }
  if (!facts.viceChair) return "Cette séance n'a pas de vice-président(e) : personne ne peut signer à la place du président.";
  if (facts.namedId !== facts.viceChair.userId) {
    return `Seul(e) le ou la vice-président(e) de la séance, ${facts.viceChair.displayName}, peut signer à la place du président.`;
  }
  const vp = facts.viceChair.displayName;
  if (facts.viceChairPrevented) return `L'empêchement de ${vp} est lui-même constaté : il ou elle ne peut pas signer à la place du président.`;
  if (facts.recusal) return `${vp} est récusé(e) pour ce candidat (${facts.recusal.toLowerCase()}) : il ou elle ne peut pas signer sa fiche à la place du président.`;
  if (facts.attendanceRequired && !facts.attended) {
    return `${vp} n'était pas présent(e) ${facts.kindLabel === "la fiche de décision" ? "lors de la décision" : "à la séance"} : il ou elle ne peut pas signer à la place du président ce qu'il ou elle n'a pas vu.`;
  }
  return null;
}

/** The command's refusal of a named replacement (French), or null: `replacementObstacle`, nothing written. */
export function replacementRefusal(facts: ReplacementFacts): string | null {
  const obstacle = replacementObstacle(facts);
  return obstacle ? `${obstacle} Rien n'a été enregistré.` : null;
}

/** « signé par X, vice-président(e), pour le président Y empêché » — the only words said of a replacement's signature. */
export function replacementSignedWords(replacement: string, prevented: string): string {
  return `signé par ${replacement}, vice-président(e), pour le président ${prevented} empêché`;
}

/** « à signer (pour Y, empêché) » / « signé (pour Y, empêché) »: the replacement's line in a list of signers. */
export function replacementDutyWords(prevented: string, signed: boolean): string {
  return `${signed ? "signé" : "à signer"} (pour ${prevented}, empêché)`;
}

/** A round's empêchement as the pages read it: who is prevented, who signs for them, and whether that is done. */
export type RoundUnavailability = { userId: string; replacedById: string | null; replacementSignedAt: Date | string | null };

/** A signer's replacement as a page lists it (null: none named): who signs for them, and the words once signed. */
export function replacedByView(
  unavailability: RoundUnavailability | undefined,
  prevented: string,
  nameOf: (userId: string) => string,
): { displayName: string; signedWords: string | null } | null {
  if (!unavailability?.replacedById) return null;
  const replacement = nameOf(unavailability.replacedById);
  return { displayName: replacement, signedWords: unavailability.replacementSignedAt ? replacementSignedWords(replacement, prevented) : null };
}

/** The vice-presidents named to sign for a prevented president: « X — Vice-président(e) : à signer (pour Y, empêché) ». */
export function replacementLines(
  unavailable: readonly RoundUnavailability[],
  nameOf: (userId: string) => string,
  roleLabelOf: (userId: string) => string,
): { key: string; displayName: string; roleLabel: string; words: string }[] {
  return unavailable.flatMap((u) =>
    u.replacedById
      ? [
          {
            key: `${u.replacedById}:${u.userId}`,
            displayName: nameOf(u.replacedById),
            roleLabel: roleLabelOf(u.replacedById),
            words: replacementDutyWords(nameOf(u.userId), u.replacementSignedAt !== null),
          },
        ]
      : [],
  );
}

/**
 * What a page offers its viewer on a document in signature: whether they sign it (as a signer, or as the replacement
 * named for a prevented president), whether every signature they owe stands, whether they are the prevented one (with
 * nothing left to sign for anybody), and for whom they still sign besides themselves (user ids).
 */
export function viewerSigningDuties(
  viewerId: string,
  round: { signerIds: readonly string[]; signed: ReadonlySet<string>; unavailable: readonly RoundUnavailability[] },
): { isSigner: boolean; hasSigned: boolean; isPrevented: boolean; signsFor: string[] } {
  const ownSeat = round.signerIds.includes(viewerId);
  const replacing = round.unavailable.filter((u) => u.replacedById === viewerId);
  const signsFor = replacing.filter((u) => !u.replacementSignedAt).map((u) => u.userId);
  const prevented = round.unavailable.some((u) => u.userId === viewerId);
  return {
    isSigner: ownSeat || replacing.length > 0,
    hasSigned: signsFor.length === 0 && (!ownSeat || round.signed.has(viewerId)),
    isPrevented: prevented && signsFor.length === 0,
    signsFor,
  };
}
