/**
 * « Organisation active », under the header line, for a person who belongs to several organisations (nobody else sees
 * it): the lists, the desk and the creation forms act for the organisation chosen here; a page about one session,
 * candidate or document acts for that resource's own organisation whatever is chosen. Posted to /organisation-active
 * (the server checks the membership, keeps the choice on the login session and shows the same page again). An
 * explicit « Changer » button rather than a change on selection (WCAG 3.2.2); works without JavaScript, wraps at 390 px.
 */
import { useLocation } from "@remix-run/react";
import { useId } from "react";
import { Form } from "~/components/form";

export type OrganisationChoiceView = {
  activeId: string;
  organisations: ReadonlyArray<{ id: string; name: string; role: "ADMIN" | "SECRETARIAT" | "MEMBER" | "OBSERVER" }>;
};

const ROLE_SHORT: Record<OrganisationChoiceView["organisations"][number]["role"], string> = {
  ADMIN: "administration",
  SECRETARIAT: "secrétariat",
  MEMBER: "membre",
  OBSERVER: "observation",
};

export function OrganisationSwitcher({ choice }: { choice: OrganisationChoiceView }) {
  const location = useLocation();
  const id = useId();
  return (
    <div className="border-t border-slate-100 bg-slate-50">
      <Form
        method="post"
        action="/organisation-active"
        className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-2 text-sm"
        data-testid="organisation-switcher"
      >
        <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
        <label htmlFor={id} className="w-full font-medium text-slate-700 sm:w-auto">
          Organisation active
        </label>
        <select
          id={id}
          name="organisationId"
          defaultValue={choice.activeId}
          key={choice.activeId}
          className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-2 py-1 text-slate-900 sm:max-w-sm sm:flex-none"
        >
          {choice.organisations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({ROLE_SHORT[o.role]})
            </option>
          ))}
        </select>
        <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100">
          Changer
        </button>
      </Form>
    </div>
  );
}
