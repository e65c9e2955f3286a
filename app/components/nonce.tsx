/** The per-response CSP nonce (server.ts → load context → entry.server), for Remix's inline scripts. */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
/** On the client the nonce is not needed (and browsers hide it): empty string. */
export const useNonce = () => useContext(NonceContext);
