/** The per-response CSP nonce (server.ts → load context → entry.server), for Remix's inline scripts. */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
/** On the client the nonce is not needed (and browsers hide it): empty string. */
export const useNonce = () => useContext(NonceContext);

/**
 * In the browser, the document's nonce for elements created by scripts (CodeMirror's style elements): browsers hide
 * the attribute once parsed but keep the `nonce` property of the server-rendered scripts.
 */
export function documentNonce(): string {
  if (typeof document === "undefined") return "";
  return document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce ?? "";
}
