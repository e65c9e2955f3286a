import type { LoaderFunctionArgs } from "@remix-run/node";
import { getStatusList } from "~/delivery/get-status-list.server";

/**
 * The organisation's Bitstring Status List credential (public: wallets check revocation against it), its bits
 * taken from the database's revocations.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  let list: Record<string, unknown> | null;
  try {
    list = await getStatusList(params.orgId ?? "");
  } catch (error) {
    console.error("Liste de révocation indisponible", error);
    return new Response("Liste de révocation momentanément indisponible : réessayez dans un instant.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "30", "Cache-Control": "no-store" },
    });
  }
  if (!list) return new Response("Liste introuvable.", { status: 404 });
  return new Response(JSON.stringify(list), {
    headers: { "Content-Type": "application/vc+ld+json; charset=utf-8", "Cache-Control": "public, max-age=60" },
  });
}
