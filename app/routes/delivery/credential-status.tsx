import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusListCredential } from "~/delivery/credentials/status-list.server";
import { credentialsContext } from "~/delivery/finish-record.server";

/** The organisation's Bitstring Status List credential (public: wallets check revocation against it). */
export async function loader({ params }: LoaderFunctionArgs) {
  const list = await statusListCredential(credentialsContext(), params.orgId ?? "").catch(() => null);
  if (!list) return new Response("Liste introuvable.", { status: 404 });
  return new Response(JSON.stringify(list), {
    headers: { "Content-Type": "application/vc+ld+json; charset=utf-8", "Cache-Control": "public, max-age=60" },
  });
}
