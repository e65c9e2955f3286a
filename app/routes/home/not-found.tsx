/** Any unknown address: a French 404 inside the normal layout (rendered by the root ErrorBoundary). */
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Page introuvable — Quorum" }];

export async function loader(_args: LoaderFunctionArgs) {
  throw data("Cette adresse ne correspond à aucune page de Quorum. Vérifiez le lien ou revenez au tableau de bord.", {
    status: 404,
  });
}

export default function NotFound() {
  return null;
}
