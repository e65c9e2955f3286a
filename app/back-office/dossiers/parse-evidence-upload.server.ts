/**
 * Reads an evidence upload form (multipart) into memory without ever holding more than one file of at most
 * EVIDENCE_MAX_BYTES: a larger file is read to its end and dropped (so the browser gets the French error, not a
 * broken connection), and a request far beyond the limit is refused outright with a 413.
 */
import { withoutControlCharacters } from "~/platform/http/read-form.server";
import {
  data,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { EVIDENCE_MAX_BYTES } from "~/domain/completeness";

/** Past this many bytes in one request the form is not read at all. */
export const UPLOAD_REQUEST_LIMIT = 4 * EVIDENCE_MAX_BYTES;
const TEXT_FIELD_LIMIT = 64 * 1024;
const TOO_LARGE = "Envoi trop volumineux : un fichier de 10 Mo au plus.";

export type ParsedUpload = {
  formData: FormData;
  /** The file field that exceeded the limit (its content was dropped), if any. */
  oversized: string | null;
};

export async function parseEvidenceUpload(request: Request): Promise<ParsedUpload> {
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > UPLOAD_REQUEST_LIMIT) throw data(TOO_LARGE, { status: 413 });

  let total = 0;
  let oversized: string | null = null;
  const handler: UploadHandler = async ({ name, filename, contentType, data: stream }) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const limit = filename === undefined ? TEXT_FIELD_LIMIT : EVIDENCE_MAX_BYTES;
    for await (const chunk of stream) {
      total += chunk.byteLength;
      if (total > UPLOAD_REQUEST_LIMIT) throw data(TOO_LARGE, { status: 413 });
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    }
    if (filename === undefined) return size <= limit ? new TextDecoder().decode(Buffer.concat(chunks)) : undefined;
    if (filename === "" && size === 0) return undefined; // the file input was left empty
    if (size > limit) {
      oversized = name;
      return undefined;
    }
    return new File([new Uint8Array(Buffer.concat(chunks))], filename, { type: contentType });
  };

  try {
    const formData = await parseMultipartFormData(request, handler);
    return { formData: withoutControlCharacters(formData), oversized };
  } catch (error) {
    // A TypeError: no multipart body; the parser's own errors (a part's header it cannot read) say « malformed ».
    if (error instanceof TypeError || (error instanceof Error && error.message.startsWith("malformed"))) {
      throw data("Formulaire illisible : renvoyez-le depuis la page du dossier.", { status: 400 });
    }
    throw error;
  }
}
