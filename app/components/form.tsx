/**
 * The pages' forms, kept on their page when the server cannot be reached.
 *
 * A Remix `<Form method="post">` is a navigation: when its request never reaches the server (the network is down,
 * the server unreachable), the router throws the fetch's error to the route's error boundary, which replaces the
 * page — and with it everything the user had typed — by « Une erreur inattendue est survenue ». The live room's
 * commands answer that case through `useCommand`; a page's forms answer it here, the same way, without giving up
 * what a navigation brings them (Conform's field errors from the action, the redirect after a save, the page's data
 * read again after an answer):
 *
 * - `Form` renders Remix's form with a hidden field naming it on its page (`FORM_FIELD`, ignored by the actions);
 * - the page's `clientAction` (`clientAction` below, re-exported by every page with an action) sends the form to the
 *   server action and, when the request fails before any answer, returns an « unsent » answer naming that form
 *   instead of throwing: the page stays, its inputs keep their values;
 * - `shouldRevalidate` (re-exported by the pages, and by the root) reads nothing again after an unsent answer: the
 *   loaders would fail the same way and their error would replace the page all the same;
 * - the form whose name the answer carries shows `FORM_UNSENT` after its last field (the submit button), in French;
 * - `useFormResult` is the page's action data without the unsent answer, for Conform's `lastResult`.
 *
 * A GET form (a list's search), a form posted to another page (« Se déconnecter », `action="/logout"`) and a form sent
 * as a document (`reloadDocument`: the declaration file's download) have no clientAction of their page to answer for
 * them: offline, the first two led to the error page and the third to the browser's own « no connection » page. Before
 * sending, they ask the server whether it answers (`serverAnswers`, GET /healthz, a few bytes); when it does not, the
 * same message shows under the form and nothing is sent. A server lost between that question and the form itself
 * still leads to the error page (a matter of milliseconds).
 *
 * The action's own answers are untouched: a field error from the server still comes back at its field, a refusal
 * thrown by the action (403, 404, 413) still shows the error page.
 */
import {
  Form as RemixForm,
  useActionData,
  useNavigation,
  type ClientActionFunctionArgs,
  type FormProps,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { forwardRef, useEffect, useId, useRef, useState, type FormEvent } from "react";

/** What the user reads under the form when it could not reach the server (the live room's wording, `useCommand`). */
export const FORM_UNSENT =
  "Pas de connexion au serveur : le formulaire n'a pas été envoyé. Ce que vous avez saisi est conservé ; vérifiez votre réseau, puis renvoyez-le.";

/** The hidden field naming a form on its page (a page may hold several: the dossier's, the planning's). */
export const FORM_FIELD = "_form";

const UNSENT_MARK = "__formUnsent";

/** The answer of a page's clientAction when its form never reached the server. */
export type UnsentForm = { [UNSENT_MARK]: true; form: string | null; message: string };

export function isUnsentForm(value: unknown): value is UnsentForm {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[UNSENT_MARK] === true;
}

/**
 * A request that never got an answer: the browser's fetch rejects with a TypeError (« Failed to fetch » in Chromium,
 * « NetworkError when attempting to fetch resource. » in Firefox, « Load failed » in Safari). An aborted request (a newer submission replaced it) is not one: the router handles it.
 */
export function isNetworkFailure(error: unknown): boolean {
  if (error instanceof DOMException && error.name === "AbortError") return false;
  return error instanceof TypeError && /fetch|network|load failed/i.test(error.message);
}

/**
 * A page's clientAction: its server action, except that a request which never reached the server answers « unsent »
 * (naming the form sent) instead of replacing the page by its error boundary. Export it from every page whose
 * forms post to their own page: `export { clientAction, shouldRevalidate } from "~/components/form";`.
 */
export async function clientAction({ request, serverAction }: ClientActionFunctionArgs) {
  // The form's name is read from a copy of the body: the server action reads the body itself.
  const copy = request.clone();
  try {
    return await serverAction();
  } catch (error) {
    if (!isNetworkFailure(error)) throw error;
    const form = await copy.formData().then(
      (data) => data.get(FORM_FIELD),
      () => null,
    );
    return { [UNSENT_MARK]: true, form: typeof form === "string" ? form : null, message: FORM_UNSENT } satisfies UnsentForm;
  }
}

/** Nothing is read again after an unsent form (the loaders would fail too); otherwise Remix's own rule. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  isUnsentForm(actionResult) ? false : defaultShouldRevalidate;

/** The page's action data, as `useActionData`, without the answer to a form that never reached the server. */
export function useFormResult<T>(): ReturnType<typeof useActionData<T>> {
  const data = useActionData<T>();
  return isUnsentForm(data) ? undefined : data;
}

/** Conform's « reset » result: the form forgets its errors and takes its default values (the saved ones) again. */
const RESET_RESULT = { initialValue: null } as const;

/**
 * The `lastResult` of each Conform form of a page whose forms are told apart by a field (the dossier's `intent`).
 * Conform keeps a form's errors until it gets another result, and a save answered by a redirect brings none: an error
 * only the server sees (« la date est dans le futur ») stayed under its field after the corrected form was saved, as
 * if the save had failed. Once the form named `name` has been sent and answered without action data (its redirect),
 * `resultFor(name)` is Conform's reset result: its errors go, its fields show the saved values.
 */
export function useResultsByForm<R>(answer: { intent: string; result: R } | undefined, field = "intent") {
  const navigation = useNavigation();
  const sent = useRef<string | null>(null);
  const [saved, setSaved] = useState<{ name: string; result: typeof RESET_RESULT } | null>(null);
  const sending = navigation.state !== "idle" ? navigation.formData?.get(field) : undefined;
  useEffect(() => {
    if (typeof sending === "string") sent.current = sending;
  }, [sending]);
  useEffect(() => {
    if (navigation.state !== "idle" || sent.current === null) return;
    const name = sent.current;
    sent.current = null;
    // A fresh object each time: Conform reports a result only when it is not the one it already had.
    setSaved(answer === undefined ? { name, result: { ...RESET_RESULT } } : null);
  }, [navigation.state, answer]);
  return (name: string): R | typeof RESET_RESULT | undefined =>
    answer?.intent === name ? answer.result : saved?.name === name ? saved.result : undefined;
}

/** Whether the server answers at all (any status): false when the request fails before an answer (offline, server down). */
export async function serverAnswers(): Promise<boolean> {
  try {
    await fetch("/healthz", { cache: "no-store", credentials: "omit" });
    return true;
  } catch (error) {
    if (isNetworkFailure(error)) return false;
    throw error;
  }
}

/**
 * Whether a form is sent without its page's clientAction to answer for it: a GET form (a navigation), a form posted to
 * another page (`action="/logout"`), a form sent as a document (`reloadDocument`).
 */
export function sentWithoutClientAction(props: Pick<FormProps, "method" | "action" | "reloadDocument">): boolean {
  if ((props.method ?? "get").toLowerCase() === "get" || props.reloadDocument) return true;
  return typeof props.action === "string" && props.action.startsWith("/");
}

/**
 * Remix's `<Form>`, told when it could not be sent: the French message shows after its last child (its submit
 * button), what was typed stays in its fields. Same props as Remix's form, and `unsentClassName` for the message.
 */
export const Form = forwardRef<HTMLFormElement, FormProps & { unsentClassName?: string }>(function Form(
  { children, onSubmit, unsentClassName = "basis-full text-sm font-medium text-red-700", ...props },
  ref,
) {
  const name = useId();
  const answer = useActionData<unknown>();
  const posts = (props.method ?? "get").toLowerCase() !== "get";
  const checkFirst = sentWithoutClientAction(props);
  const [unreachable, setUnreachable] = useState(false);
  // The second submission, once the server answered, goes as the form always went (Remix's, or the browser's).
  const checked = useRef(false);
  const unsent = (posts && isUnsentForm(answer) && answer.form === name) || unreachable;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    onSubmit?.(event);
    if (event.defaultPrevented || !checkFirst) return;
    if (checked.current) {
      checked.current = false;
      return;
    }
    event.preventDefault();
    const form = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void serverAnswers().then((answers) => {
      setUnreachable(!answers);
      if (!answers) return;
      checked.current = true;
      form.requestSubmit(submitter instanceof HTMLElement ? submitter : undefined);
    });
  };

  return (
    <RemixForm ref={ref} {...props} onSubmit={submit}>
      {posts ? <input type="hidden" name={FORM_FIELD} value={name} /> : null}
      {children}
      {unsent ? (
        <p role="alert" className={unsentClassName} data-testid="form-unsent">
          {FORM_UNSENT}
        </p>
      ) : null}
    </RemixForm>
  );
});
