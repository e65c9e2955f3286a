/** What the CPNE validates: the session's decisions as they stand when sealed (canonical JSON of this). */
export type ValidationContent = {
  session: { id: string; title: string; date: string };
  certification: { code: string; title: string };
  decisions: Array<{
    decisionId: string;
    candidate: string;
    overall: string;
    decidedAt: string;
    items: Array<{ code: string; acquired: boolean }>;
  }>;
};
