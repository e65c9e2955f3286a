/** Reads a request's form; a body that is not a readable form (broken multipart, wrong type) is a 400, never a 500. */
import { data } from "@remix-run/node";

export const UNREADABLE_FORM = "Formulaire illisible : rechargez la page et renvoyez-le.";

export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data(UNREADABLE_FORM, { status: 400 });
  }
}
