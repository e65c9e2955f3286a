import { describe, expect, it } from "vitest";
import {
  addDays,
  addYears,
  checkSessionTimes,
  checkSlotTiming,
  commissionPassageRefusal,
  DEFAULT_PHASE_DURATIONS,
  formatDateKeyFr,
  isDateKey,
  isShortNotice,
  isTimeOfDay,
  nextSlotStart,
  parisDateKey,
  parisLocalToUtc,
  PHASES,
  phaseDurationsFrom,
  readPhaseDurations,
  slotsOutsideSession,
  SHORT_NOTICE_WARNING,
  toParisParts,
  totalPhaseMinutes,
} from "~/domain/planning";

const utc = (iso: string) => new Date(iso);

describe("Paris wall-clock time ↔ UTC", () => {
  it("winter time is UTC+1", () => {
    expect(parisLocalToUtc("2026-01-15", "09:00")?.toISOString()).toBe("2026-01-15T08:00:00.000Z");
  });

  it("summer time is UTC+2", () => {
    expect(parisLocalToUtc("2026-07-15", "09:00")?.toISOString()).toBe("2026-07-15T07:00:00.000Z");
  });

  it("midnight in Paris is the evening before in UTC", () => {
    expect(parisLocalToUtc("2026-03-13", "00:00")?.toISOString()).toBe("2026-03-12T23:00:00.000Z");
  });

  it("the day clocks go forward (29 March 2026): 01:59 is UTC+1, 03:00 is UTC+2, 02:30 does not exist", () => {
    expect(parisLocalToUtc("2026-03-29", "01:59")?.toISOString()).toBe("2026-03-29T00:59:00.000Z");
    expect(parisLocalToUtc("2026-03-29", "03:00")?.toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(parisLocalToUtc("2026-03-29", "02:30")).toBeNull();
  });

  it("the day clocks go back (25 October 2026): 02:30 happens twice, the first one is taken", () => {
    expect(parisLocalToUtc("2026-10-25", "02:30")?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(parisLocalToUtc("2026-10-25", "03:30")?.toISOString()).toBe("2026-10-25T02:30:00.000Z");
  });

  it("rejects malformed or impossible dates and times", () => {
    expect(parisLocalToUtc("2026-02-30", "09:00")).toBeNull();
    expect(parisLocalToUtc("2026-1-5", "09:00")).toBeNull();
    expect(parisLocalToUtc("2026-01-05", "24:00")).toBeNull();
    expect(parisLocalToUtc("2026-01-05", "9:00")).toBeNull();
  });

  it("reads an instant back as Paris date and time", () => {
    expect(toParisParts(utc("2026-03-12T23:30:00Z"))).toEqual({ date: "2026-03-13", time: "00:30" });
    expect(toParisParts(utc("2026-07-01T06:05:00Z"))).toEqual({ date: "2026-07-01", time: "08:05" });
    expect(parisDateKey(utc("2026-12-31T23:00:00Z"))).toBe("2027-01-01");
  });

  it("round-trips every quarter hour of a DST day", () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
      const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      const instant = parisLocalToUtc("2026-10-25", time);
      expect(instant, time).not.toBeNull();
      expect(toParisParts(instant!)).toEqual({ date: "2026-10-25", time });
    }
  });

  it("validates date keys and times of day", () => {
    expect(isDateKey("2028-02-29")).toBe(true);
    expect(isDateKey("2027-02-29")).toBe(false);
    expect(isTimeOfDay("23:59")).toBe(true);
    expect(isTimeOfDay("12:60")).toBe(false);
  });
});

describe("date-only helpers", () => {
  it("formats and shifts dates", () => {
    expect(formatDateKeyFr("2026-03-12")).toBe("12/03/2026");
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addYears("2026-03-12", 1)).toBe("2027-03-12");
    expect(addYears("2028-02-29", 1)).toBe("2029-02-28");
  });
});

describe("session and slot timing", () => {
  const session = { startsAt: utc("2026-01-15T08:00:00Z"), endsAt: utc("2026-01-15T11:00:00Z") }; // 09:00–12:00 Paris
  const lea = { id: "s1", candidateName: "Léa DURAND", startsAt: utc("2026-01-15T08:00:00Z"), endsAt: utc("2026-01-15T09:00:00Z") };

  it("a session must end after it starts", () => {
    expect(checkSessionTimes(session)).toBeNull();
    expect(checkSessionTimes({ startsAt: session.endsAt, endsAt: session.startsAt })).toBe(
      "L'heure de fin doit être après l'heure de début.",
    );
    expect(checkSessionTimes({ startsAt: session.startsAt, endsAt: session.startsAt })).toBe(
      "L'heure de fin doit être après l'heure de début.",
    );
  });

  it("accepts a slot exactly at the session's bounds", () => {
    expect(checkSlotTiming(session, session, [])).toBeNull();
  });

  it("refuses a slot starting before or ending after the session, with the Paris hours", () => {
    const message = "Le créneau doit se situer dans les horaires de la session (09:00 – 12:00).";
    expect(checkSlotTiming({ startsAt: utc("2026-01-15T07:59:00Z"), endsAt: utc("2026-01-15T09:00:00Z") }, session, [])).toBe(message);
    expect(checkSlotTiming({ startsAt: utc("2026-01-15T10:30:00Z"), endsAt: utc("2026-01-15T11:01:00Z") }, session, [])).toBe(message);
  });

  it("refuses a slot ending before it starts", () => {
    expect(checkSlotTiming({ startsAt: utc("2026-01-15T09:00:00Z"), endsAt: utc("2026-01-15T09:00:00Z") }, session, [])).toBe(
      "L'heure de fin du créneau doit être après son heure de début.",
    );
  });

  it("refuses an overlapping slot, naming the other candidate", () => {
    expect(checkSlotTiming({ startsAt: utc("2026-01-15T08:59:00Z"), endsAt: utc("2026-01-15T10:00:00Z") }, session, [lea])).toBe(
      "Ce créneau chevauche celui de Léa DURAND (09:00 – 10:00).",
    );
    expect(checkSlotTiming({ startsAt: utc("2026-01-15T08:15:00Z"), endsAt: utc("2026-01-15T08:30:00Z") }, session, [lea])).toBe(
      "Ce créneau chevauche celui de Léa DURAND (09:00 – 10:00).",
    );
  });

  it("accepts back-to-back slots and ignores the slot being moved", () => {
    expect(checkSlotTiming({ startsAt: utc("2026-01-15T09:00:00Z"), endsAt: utc("2026-01-15T10:00:00Z") }, session, [lea])).toBeNull();
    expect(checkSlotTiming({ startsAt: utc("2026-01-15T08:30:00Z"), endsAt: utc("2026-01-15T09:30:00Z") }, session, [lea], "s1")).toBeNull();
  });

  it("lists the slots a shorter session would leave out", () => {
    expect(slotsOutsideSession({ startsAt: utc("2026-01-15T08:30:00Z"), endsAt: session.endsAt }, [lea])).toEqual([
      "Le créneau de Léa DURAND (09:00 – 10:00) ne tiendrait plus dans la session.",
    ]);
    expect(slotsOutsideSession(session, [lea])).toEqual([]);
  });

  it("suggests the next start after the last slot", () => {
    expect(nextSlotStart(session, []).toISOString()).toBe(session.startsAt.toISOString());
    expect(nextSlotStart(session, [lea]).toISOString()).toBe("2026-01-15T09:00:00.000Z");
  });
});

describe("phase durations", () => {
  it("phases and their labels are those of the live commission", () => {
    expect(PHASES.map((p) => p.label)).toEqual(["Accueil", "Présentation", "Questions", "Évaluation", "Signature"]);
  });

  it("fills a form value's empty phases with the defaults", () => {
    expect(phaseDurationsFrom({ QUESTIONS: 30 })).toEqual({ ...DEFAULT_PHASE_DURATIONS, QUESTIONS: 30 });
  });

  it("reads stored durations, falling back to the defaults for missing or invalid values", () => {
    expect(readPhaseDurations(null)).toEqual(DEFAULT_PHASE_DURATIONS);
    expect(readPhaseDurations({ ACCUEIL: 10 })).toEqual({ ...DEFAULT_PHASE_DURATIONS, ACCUEIL: 10 });
    expect(readPhaseDurations({ ACCUEIL: 10, QUESTIONS: -1 })).toEqual(DEFAULT_PHASE_DURATIONS);
  });

  it("adds the phases up", () => {
    expect(totalPhaseMinutes({ ACCUEIL: 5, PRESENTATION: 20, QUESTIONS: 20, EVALUATION: 15, SIGNATURE: 5 })).toBe(65);
  });
});

describe("convocation notice", () => {
  const now = utc("2026-03-01T10:00:00Z");

  it("warns for a jury less than 15 days ahead, not at 15 days", () => {
    expect(isShortNotice("JURY", utc("2026-03-16T09:59:59Z"), now)).toBe(true);
    expect(isShortNotice("JURY", utc("2026-03-16T10:00:00Z"), now)).toBe(false);
    expect(isShortNotice("JURY", utc("2026-02-28T10:00:00Z"), now)).toBe(true);
  });

  it("never warns for a commission", () => {
    expect(isShortNotice("COMMISSION", utc("2026-03-02T10:00:00Z"), now)).toBe(false);
  });

  it("has the French warning text", () => {
    expect(SHORT_NOTICE_WARNING).toBe("Attention : le jury se tient dans moins de 15 jours");
  });
});

describe("a commission passage for a dossier (commissionPassageRefusal)", () => {
  const candidateName = "Léa DURAND";

  it("is open to a dossier on its way to the jury, and to one the jury sent back (ajournement: back in evaluation or training)", () => {
    for (const status of ["DRAFT", "REGISTERED", "POSITIONED", "IN_TRAINING", "IN_EVALUATION", "COMPLETE"] as const) {
      expect(commissionPassageRefusal({ status, candidateName }), status).toBeNull();
    }
  });

  it("is refused to a dossier on a jury's agenda, naming the jury and the ways back", () => {
    const refusal = commissionPassageRefusal({ status: "ON_AGENDA", candidateName, jury: { title: "Jury paritaire de juin" } });
    expect(refusal).toBe(
      "Le dossier de Léa DURAND est déjà évalué et inscrit à l'ordre du jour du jury « Jury paritaire de juin » : pas de nouveau passage en commission. Si une nouvelle évaluation est nécessaire, retirez d'abord le dossier de l'ordre du jour (avant le jury), ou laissez le jury l'ajourner.",
    );
    expect(commissionPassageRefusal({ status: "ON_AGENDA", candidateName, jury: null })).toContain("inscrit à l'ordre du jour du jury : pas de nouveau passage");
  });

  it("is refused to a decided dossier: a new attempt at the missing blocs is a new dossier", () => {
    expect(commissionPassageRefusal({ status: "DECIDED", candidateName })).toBe(
      "Le jury a déjà rendu sa décision sur le dossier de Léa DURAND : pas de nouveau passage en commission pour ce dossier. Pour une nouvelle tentative (blocs restant à acquérir), ouvrez un nouveau dossier.",
    );
  });

  it("is refused to a withdrawn dossier", () => {
    expect(commissionPassageRefusal({ status: "WITHDRAWN", candidateName })).toBe("Le dossier de Léa DURAND est clos (abandon) : pas de passage en commission.");
  });
});
