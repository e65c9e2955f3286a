/**
 * Reads a request's form; a body that is not a readable form (broken multipart, wrong type) is a 400, never a 500.
 * Its text values lose the control characters nobody types (C0 but tab, line feed and carriage return, and DEL):
 * PostgreSQL refuses a NUL in a text (the request would fail with a 500) and the PDFs' fonts have none of them.
 */
import { data } from "@remix-run/node";

export const UNREADABLE_FORM = "Formulaire illisible : rechargez la page et renvoyez-le.";

export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data(UNREADABLE_FORM, { status: 400 });
  }
  return withoutControlCharacters(form);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROLS = new RegExp(CONTROL.source, "g");

/** The form, its names and text values without control characters (files untouched); the same object when clean. */
export function withoutControlCharacters(form: FormData): FormData {
  let dirty = false;
  for (const [name, value] of form) {
    if (CONTROL.test(name) || (typeof value === "string" && CONTROL.test(value))) {
      dirty = true;
      break;
    }
  }
  if (!dirty) return form;
  const clean = new FormData();
  for (const [name, value] of form) {
    const cleanName = name.replace(CONTROLS, "");
    if (typeof value === "string") clean.append(cleanName, value.replace(CONTROLS, ""));
    else clean.append(cleanName, value, value.name);
  }
  return clean;
}
