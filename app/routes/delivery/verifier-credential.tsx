import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { verificationLimiter } from "~/delivery/rate-limit.server";
import { credentialForVerification } from "~/delivery/verify-record.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const ip = (context as { clientIp?: string | null }).clientIp ?? "unknown";
  if (!verificationLimiter.take(ip)) return new Response("Trop de requêtes.", { status: 429, headers: { "Retry-After": "60" } });
  const found = await credentialForVerification(params.code ?? "");
  if (!found) return new Response("Document introuvable.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(JSON.stringify(found.credential, null, 2), {
    headers: {
      "Content-Type": "application/ld+json; charset=utf-8",
      "Content-Disposition": attachmentDisposition(`${found.number}.credential.json`),
      "Cache-Control": "no-store",
    },
  });
}
