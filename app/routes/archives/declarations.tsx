import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { readForm } from "~/platform/http/read-form.server";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireManager } from "~/platform/auth/guards.server";
import { refusalOf } from "~/platform/app-error";
import { getCdcSettings } from "~/archive/cdc/get-cdc-settings.server";
import { holderDeclarationsPage } from "~/archive/cdc/holder-declarations.server";
import { importAcknowledgement } from "~/archive/cdc/import-acknowledgement.server";
import { updateCdcSettings } from "~/archive/cdc/update-cdc-settings.server";
import {
  DECLARATION_FILE_REFUSALS,
  DECLARATION_STATUS_LABELS,
  declarationFileBlocked,
  TO_DO_FILTER,
  TO_DO_KINDS,
  TO_DO_LABEL,
  TO_SEND_FILTER,
  TO_SEND_KINDS,
  TO_SEND_LABEL,
  type DeclarationStatus,
} from "~/archive/cdc/declaration-status";
import { settingsErrors } from "~/archive/cdc/declaration";
import { ACKNOWLEDGEMENT_MAX_BYTES, ACKNOWLEDGEMENT_TOO_LARGE } from "~/archive/cdc/acknowledgement";
import { FileSizeError, useFileSizeLimit } from "~/components/file-size-limit";
import { ListTable } from "~/components/list-table";
import { countOf } from "~/components/format";
import { inputClass, primaryButtonClass } from "~/components/field";
import { secondaryButtonClass } from "~/components/candidates/dossier-ui";
import { formatDateFr } from "~/domain/identity";
import { RouteErrorBoundary } from "~/components/route-error";
import { DeclarationStatusText } from "~/components/delivery/declaration-status";
import { shownValue } from "~/domain/safe-text";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Déclaration des titulaires — Quorum" }];

const STATUS_KINDS = Object.keys(DECLARATION_STATUS_LABELS) as Array<DeclarationStatus["kind"]>;
/** Holders per page: an organisation's years of holders are thousands of rows (the counts above cover them all). */
const PAGE_SIZE = 50;

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireManager(args);
  const url = new URL(args.request.url);
  const statut = url.searchParams.get("statut");
  // One status, what the next file carries (TO_SEND_FILTER), or the desk's « Titulaires à déclarer » (TO_DO_FILTER:
  // those and the ones not declarable yet). An unknown one is said, and every holder shown.
  const filter =
    statut === TO_SEND_FILTER || statut === TO_DO_FILTER ? statut : (STATUS_KINDS.find((k) => k === statut) ?? null);
  const notices =
    statut && filter === null
      ? [`L'état « ${shownValue(statut)} » demandé n'existe pas : tous les titulaires sont affichés. Choisissez un état ci-dessous.`]
      : [];
  const requested = Number(url.searchParams.get("page"));
  const [{ holders, total, page, pageCount, counts }, settings] = await Promise.all([
    holderDeclarationsPage(access.organisationId, {
      status: filter === TO_SEND_FILTER ? TO_SEND_KINDS : filter === TO_DO_FILTER ? TO_DO_KINDS : filter,
      page: Number.isInteger(requested) ? requested : 1,
      pageSize: PAGE_SIZE,
    }),
    getCdcSettings(access.organisationId),
  ]);
  const settingsComplete = !Object.values(
    settingsErrors({ emitterIdClient: settings.idClient, certifierIdClient: settings.idClient, contractId: settings.idContrat }),
  ).some(Boolean);
  // A refused « Générer le fichier XML » (its route sends the page back with the reason's key).
  const refused = url.searchParams.get("refus");
  const fileRefusal = refused && Object.hasOwn(DECLARATION_FILE_REFUSALS, refused) ? DECLARATION_FILE_REFUSALS[refused as keyof typeof DECLARATION_FILE_REFUSALS] : null;
  return {
    holders: holders.map(({ passage: _p, record: _r, ...h }) => h),
    total,
    page,
    pageCount,
    counts,
    filter,
    notices,
    settings,
    /** Why no file can be generated now (the button is disabled and says it), or null. */
    fileBlocked: declarationFileBlocked(counts, settingsComplete),
    fileRefusal,
  };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireManager(args);
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  // A file over the limit is refused at its form without being read (the form's other fields weigh a few bytes).
  const declared = Number(args.request.headers.get("content-length") ?? "0");
  if (declared > ACKNOWLEDGEMENT_MAX_BYTES + 64 * 1024) {
    return data({ intent: "acknowledgement", ok: false as const, message: ACKNOWLEDGEMENT_TOO_LARGE }, { status: 413 });
  }
  const form = await readForm(args.request);
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "settings") {
      await updateCdcSettings(actor, { idClient: String(form.get("idClient") ?? ""), idContrat: String(form.get("idContrat") ?? "") });
      return { intent, ok: true as const, message: "Identifiants Caisse des Dépôts enregistrés." };
    }
    if (intent === "acknowledgement") {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0) {
        return data({ intent, ok: false as const, message: "Choisissez le fichier d'accusé de traitement (XML)." }, { status: 400 });
      }
      if (file.size > ACKNOWLEDGEMENT_MAX_BYTES) {
        return data({ intent, ok: false as const, message: ACKNOWLEDGEMENT_TOO_LARGE }, { status: 413 });
      }
      const result = await importAcknowledgement(actor, await file.text());
      return {
        intent,
        ok: true as const,
        message: `Accusé importé : ${countOf(result.accepted, "passage accepté", "passages acceptés")}, ${countOf(result.rejected, "rejeté", "rejetés")}${
          result.unknown.length
            ? `, ${countOf(result.unknown.length, "passage inconnu", "passages inconnus")} : ${result.unknown.slice(0, 20).join(", ")}${result.unknown.length > 20 ? "…" : ""}`
            : ""
        }${
          result.stale.length
            ? `, ${countOf(result.stale.length, "passage ignoré", "passages ignorés")}, car cet accusé répond à un fichier antérieur (${result.stale.length > 1 ? "renvoyés" : "renvoyé"} depuis dans un fichier plus récent) : ${result.stale.slice(0, 20).join(", ")}${result.stale.length > 20 ? "…" : ""}`
            : ""
        }.`,
      };
    }
    return data({ intent, ok: false as const, message: "Action inconnue." }, { status: 400 });
  } catch (error) {
    const refusal = refusalOf(error);
    // The identifiers' errors are said at their fields (the message above the form then says what to do).
    const fieldErrors = refusal.fieldErrors;
    const message = Object.keys(fieldErrors).length
      ? "Identifiants non enregistrés : corrigez les champs signalés."
      : [...refusal.formErrors, ...Object.values(fieldErrors).flat()].join(" ");
    // What was typed, given back (a page answered without JavaScript shows it again, not the saved identifiers).
    const typed = intent === "settings" ? { idClient: String(form.get("idClient") ?? "").slice(0, 100), idContrat: String(form.get("idContrat") ?? "").slice(0, 100) } : null;
    return data({ intent, ok: false as const, message, fieldErrors, typed }, { status: refusal.status });
  }
}

/** One of the organisation's Caisse des Dépôts identifiers, its refusal said under it (the field marked invalid). */
function IdentifierField({ name, label, defaultValue, error }: { name: string; label: string; defaultValue: string; error: string | null | undefined }) {
  return (
    <>
      <label className="block text-sm">
        {label}
        <input name={name} defaultValue={defaultValue} className={`${inputClass} mt-1`} aria-invalid={error ? true : undefined} aria-describedby={`${name}-error`} />
      </label>
      <p id={`${name}-error`} className="text-sm text-red-700" aria-live="polite" data-testid={`${name}-error`}>
        {error ?? ""}
      </p>
    </>
  );
}

/** A form's answer (saved, imported, refused), said where the form is. */
function FormMessage({ result }: { result: { ok: boolean; message: string } }) {
  return (
    <p role={result.ok ? "status" : "alert"} className={`rounded p-3 text-sm ${result.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-900"}`}>
      {result.message}
    </p>
  );
}

export default function Declarations() {
  const { holders, total, page, pageCount, counts, filter, notices, settings, fileBlocked, fileRefusal } = useLoaderData<typeof loader>();
  const result = useFormResult<typeof action>();
  // The identifiers' refusal: its errors per field and what was typed (the serialised answer's types are loose).
  const settingsRefusal =
    result && "fieldErrors" in result && result.intent === "settings"
      ? (result as { fieldErrors?: Record<string, string[]>; typed?: { idClient: string; idContrat: string } | null })
      : null;
  const settingsError = (field: "idClient" | "idContrat") => settingsRefusal?.fieldErrors?.[field]?.[0];
  const typed = settingsRefusal?.typed ?? null;
  const acknowledgementLimit = useFileSizeLimit(ACKNOWLEDGEMENT_MAX_BYTES, ACKNOWLEDGEMENT_TOO_LARGE);
  const pageLink = (n: number) => `/declarations?${new URLSearchParams({ ...(filter ? { statut: filter } : {}), page: String(n) }).toString()}`;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Déclaration des titulaires à la Caisse des Dépôts</h1>
        <p className="text-sm text-slate-600">
          Chaque titulaire doit être déclaré dans les 3 mois suivant l'obtention de la certification (Passeport de
          compétences) : le jour de la décision du jury (colonne « Obtenue le »), et non celui où le parchemin est
          délivré. Les titulaires sont ceux dont le jury a délivré la certification et dont le parchemin est délivré. Les
          déclarations à faire viennent en premier, l'échéance la plus proche en tête ; puis celles exportées ou
          acceptées, les plus récentes d'abord.
        </p>
      </div>
      {result && "message" in result && result.intent !== "acknowledgement" && result.intent !== "settings" ? (
        <FormMessage result={result} />
      ) : null}
      <ul className="flex flex-wrap gap-2 text-sm" data-testid="declaration-counts">
        {STATUS_KINDS.map((k) => (
          <li key={k}>
            <Link
              to={k === filter ? "/declarations" : `/declarations?statut=${k}`}
              aria-current={k === filter ? "true" : undefined}
              className="inline-flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 hover:bg-slate-100 aria-[current=true]:border-brand-600 aria-[current=true]:bg-brand-50"
            >
              {DECLARATION_STATUS_LABELS[k]} <span className="font-semibold">{counts[k]}</span>
            </Link>
          </li>
        ))}
      </ul>
      {notices.map((notice) => (
        <p key={notice} role="status" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="declaration-notice">
          {notice}
        </p>
      ))}
      {filter === TO_SEND_FILTER || filter === TO_DO_FILTER ? (
        <p className="text-sm" data-testid="declaration-filter">
          Filtre : {filter === TO_SEND_FILTER ? TO_SEND_LABEL : TO_DO_LABEL}, {countOf(total, "titulaire")}.{" "}
          <Link to="/declarations" className="text-brand-700 hover:underline">
            Tout afficher
          </Link>
        </p>
      ) : null}
      <div className="flex flex-wrap gap-3">
        <Form method="post" action="/declarations/fichier.xml" reloadDocument>
          <button
            type="submit"
            className={`${primaryButtonClass} disabled:cursor-not-allowed disabled:opacity-60`}
            disabled={fileBlocked !== null}
            aria-describedby={fileBlocked ? "declaration-file-blocked" : undefined}
          >
            Générer le fichier XML (nouveaux, rejetés, identités modifiées)
          </button>
        </Form>
        <a href="/exports/titulaires.csv" className={secondaryButtonClass}>
          Titulaires (CSV)
        </a>
        <a href="/exports/decisions.csv" className={secondaryButtonClass}>
          Décisions (CSV)
        </a>
        <a href="/exports/candidats.csv" className={secondaryButtonClass}>
          Candidats (CSV)
        </a>
      </div>
      {/* Blocked now: the reason below says it as it stands (what the refused attempt met, or since). */}
      {fileRefusal && !fileBlocked ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-900" data-testid="declaration-file-refusal">
          {fileRefusal}
        </p>
      ) : null}
      {fileBlocked ? (
        <p id="declaration-file-blocked" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="declaration-file-blocked">
          {fileBlocked}
        </p>
      ) : null}
      <p className="text-sm text-slate-700">
        Le fichier se télécharge, validé par le schéma de la Caisse des Dépôts : déposez-le sur votre espace
        Passeport de compétences, puis importez ci-dessous l'accusé de traitement reçu en retour. Les titulaires du
        fichier passent à « {DECLARATION_STATUS_LABELS.exported} » (rechargez la page pour le voir) et n'y figurent plus
        ensuite, sauf s'ils sont rejetés ou si leur identité est corrigée après coup (ils sont alors redéclarés, sous
        le même identifiant de passage).
      </p>
      <ListTable
        caption="Titulaires et état de leur déclaration"
        columns={["Titulaire", "Certification", "Obtenue le", "État"]}
        empty={holders.length === 0 ? "Aucun titulaire dans cette catégorie." : null}
      >
        {holders.map((h) => (
          <tr key={h.sourceKey} data-testid="holder-row">
            <td className="px-4 py-2">
              <Link to={`/candidates/${h.candidateId}`} className="text-brand-700 hover:underline">
                {h.holder}
              </Link>
            </td>
            <td className="px-4 py-2">{h.certificationCode}</td>
            <td className="px-4 py-2">{formatDateFr(h.deliveredOn)}</td>
            <td className="px-4 py-2">
              <DeclarationStatusText status={h.status} gaps={h.gaps} candidateId={h.candidateId} certificationId={h.certificationId} />
            </td>
          </tr>
        ))}
      </ListTable>
      {pageCount > 1 ? (
        <nav aria-label="Pages" className="flex items-center gap-4 text-sm">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Précédente</Link> : null}
          <span>
            Page {page} sur {pageCount} ({total} titulaires)
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Suivante →</Link> : null}
        </nav>
      ) : null}
      <section className="grid gap-6 md:grid-cols-2">
        <Form method="post" encType="multipart/form-data" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Importer l'accusé de traitement</h2>
          <input type="hidden" name="intent" value="acknowledgement" />
          <label className="block text-sm">
            Fichier XML reçu de la Caisse des Dépôts (5 Mo au plus)
            <input
              type="file"
              name="file"
              accept=".xml,application/xml,text/xml"
              className="mt-1 block"
              onChange={acknowledgementLimit.onChange}
              aria-invalid={acknowledgementLimit.error ? true : undefined}
              aria-describedby={acknowledgementLimit.error ? "acknowledgement-file-error" : undefined}
            />
          </label>
          <FileSizeError id="acknowledgement-file-error" error={acknowledgementLimit.error} />
          {/* Said here, by its button: at the top of a page of 50 holders it was out of sight. */}
          {result && "message" in result && result.intent === "acknowledgement" ? <FormMessage result={result} /> : null}
          <button type="submit" className={secondaryButtonClass}>
            Importer
          </button>
        </Form>
        <Form method="post" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Identifiants de l'organisation</h2>
          <input type="hidden" name="intent" value="settings" />
          {result && "message" in result && result.intent === "settings" ? <FormMessage result={result} /> : null}
          <IdentifierField name="idClient" label="Identifiant client (ex. 12ABC345)" defaultValue={typed?.idClient ?? settings.idClient} error={settingsError("idClient")} />
          <IdentifierField name="idContrat" label="Numéro de contrat (ex. MCFCER000123)" defaultValue={typed?.idContrat ?? settings.idContrat} error={settingsError("idContrat")} />
          <button type="submit" className={secondaryButtonClass}>
            Enregistrer
          </button>
        </Form>
      </section>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
