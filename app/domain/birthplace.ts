/**
 * Birth place codes as the Caisse des Dépôts declaration needs them (INSEE's Code officiel géographique): a person
 * born in France is identified by the 5-character code of the commune of birth (département + commune: `75056`,
 * Corsica `2A004`/`2B033`, overseas `97411`), a person born abroad by the 5-digit code of the country (`99` + 3
 * digits: `99109` Germany). Pure rules with French messages; the form and the declaration builder share them.
 */

export type BirthCode =
  | { kind: "commune"; code: string; department: string }
  | { kind: "country"; code: string };

/** INSEE's country code for France: never a valid "born abroad" code. */
export const FRANCE_COUNTRY_CODE = "99100";

/** Upper-cases and strips spaces ("2a 004" → "2A004"). */
export function normaliseInseeCode(value: string): string {
  return value.replace(/\s+/g, "").toUpperCase();
}

const OVERSEAS_DEPARTMENT = /^(97[1-8]|98[4-8])$/;

/** The département (or overseas collectivity) of a commune code, or null when the code cannot be one. */
export function departmentOfCommune(code: string): string | null {
  if (!/^[0-9AB]{5}$/.test(code)) return null;
  if (/^9[78]/.test(code)) return OVERSEAS_DEPARTMENT.test(code.slice(0, 3)) && /^\d{5}$/.test(code) ? code.slice(0, 3) : null;
  if (!/^(\d{2}|2A|2B)\d{3}$/.test(code)) return null;
  const department = code.slice(0, 2);
  if (department === "00" || department === "20" || department === "96" || department === "99") return null;
  return department;
}

/** French message for a commune code, or null when it is valid. */
export function communeCodeError(raw: string): string | null {
  const code = normaliseInseeCode(raw);
  if (code === "") return "Indiquez le code INSEE de la commune de naissance.";
  if (code.length !== 5) return "Le code INSEE d'une commune compte 5 caractères (ex. 75056, 2A004, 97411).";
  if (/^20\d{3}$/.test(code)) return "En Corse, le code commence par 2A (Corse-du-Sud) ou 2B (Haute-Corse).";
  if (/^99\d{3}$/.test(code)) return "Ce code désigne un pays (99…) : indiquez-le comme pays de naissance.";
  if (departmentOfCommune(code) === null) {
    if (/^9[78]/.test(code)) return "Code d'outre-mer inconnu : il commence par 971 à 978 ou 984 à 988.";
    if (/^\d{5}$/.test(code) || /^2[AB]\d{3}$/.test(code)) return "Ce département n'existe pas (01 à 95, 2A, 2B, 971 à 976…).";
    return "Le code INSEE ne contient que des chiffres, ou 2A / 2B pour la Corse.";
  }
  return null;
}

/** French message for a country code, or null when it is valid. */
export function countryCodeError(raw: string): string | null {
  const code = normaliseInseeCode(raw);
  if (code === "") return "Indiquez le code INSEE du pays de naissance.";
  if (!/^99\d{3}$/.test(code)) return "Le code INSEE d'un pays compte 5 chiffres et commence par 99 (ex. 99109 pour l'Allemagne).";
  if (code === FRANCE_COUNTRY_CODE) return "99100 désigne la France : indiquez plutôt le code de la commune de naissance.";
  return null;
}

/** Reads a birth code typed in one field: a commune code or a country code. */
export function parseBirthCode(raw: string): { ok: true; value: BirthCode } | { ok: false; message: string } {
  const code = normaliseInseeCode(raw);
  if (code === "") return { ok: false, message: "Indiquez le code INSEE de la commune ou du pays de naissance." };
  if (code.startsWith("99")) {
    const message = countryCodeError(code);
    return message ? { ok: false, message } : { ok: true, value: { kind: "country", code } };
  }
  const message = communeCodeError(code);
  return message ? { ok: false, message } : { ok: true, value: { kind: "commune", code, department: departmentOfCommune(code)! } };
}
