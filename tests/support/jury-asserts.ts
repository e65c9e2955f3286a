/**
 * The jury room's commands as the integration tests send them, by demo account: `ok` expects a 200 and gives the answer,
 * `refused` expects a status and a French message among the answer's errors. The server, cookies and session are read
 * when a command is sent (they are set in the test's `beforeAll`).
 */
import { expect } from "vitest";
import { juryCommand } from "./clients";

type JuryAnswer = { formErrors?: string[]; fieldErrors?: Record<string, string[]> };

export function juryAsserts<A extends JuryAnswer>(context: () => { baseUrl: string; cookies: Record<string, string>; sessionId: string }) {
  const jury = (who: string, fields: Record<string, string>) => {
    const { baseUrl, cookies, sessionId } = context();
    return juryCommand<A>(baseUrl, cookies[who]!, sessionId, fields);
  };
  const ok = async (who: string, fields: Record<string, string>) => {
    const answer = await jury(who, fields);
    expect(answer.status, `${who} ${JSON.stringify(fields)} → ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  };
  const refused = async (who: string, fields: Record<string, string>, status: number, message: RegExp) => {
    const answer = await jury(who, fields);
    expect(answer.status, `${who} ${JSON.stringify(fields)} → ${JSON.stringify(answer.body)}`).toBe(status);
    expect([...(answer.body.formErrors ?? []), ...Object.values(answer.body.fieldErrors ?? {}).flat()].join(" ")).toMatch(message);
  };
  /** Each member declares « Je n'ai aucun lien avec ce candidat », as before any ballot or consensus on him. */
  const declareNoLink = async (who: readonly string[], agendaItemId: string) => {
    for (const member of who) await ok(member, { intent: "declare", agendaItemId, conflict: "false" });
  };
  return { jury, ok, refused, declareNoLink };
}
