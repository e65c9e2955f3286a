import { useEffect, useState } from "react";
import type { Socket } from "socket.io-client";

export type PresenceMember = { userId: string; displayName: string; role: string; devices: number; idle: boolean };
export type PresenceStatus = "connecting" | "connected" | "disconnected" | "refused";

/** Joins the session's socket.io room and follows who is connected (server-computed presence). */
export function useSessionPresence(sessionId: string) {
  const [members, setMembers] = useState<PresenceMember[]>([]);
  const [status, setStatus] = useState<PresenceStatus>("connecting");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let socket: Socket | undefined;
    let cancelled = false;
    const onVisibility = () => socket?.emit("presence:idle", { sessionId, idle: document.visibilityState === "hidden" });
    void import("socket.io-client").then(({ io }) => {
      if (cancelled) return;
      socket = io({ path: "/socket.io", transports: ["websocket"] });
      socket.on("connect", () => {
        setStatus("connected");
        setError(null);
        socket?.emit(
          "session:join",
          { sessionId },
          (res: { ok: boolean; error?: string; presence?: { members: PresenceMember[] } }) => {
            if (!res?.ok) {
              setStatus("refused");
              setError(res?.error ?? "Accès à la session refusé.");
              return;
            }
            if (res.presence) setMembers(res.presence.members);
          },
        );
      });
      socket.on("presence", (p: { sessionId: string; members: PresenceMember[] }) => {
        if (p?.sessionId === sessionId) setMembers(p.members);
      });
      socket.on("disconnect", () => setStatus("disconnected"));
      socket.on("connect_error", (err: Error & { data?: { message?: string } }) => {
        setStatus("disconnected");
        setError(err.data?.message ?? "Connexion temps réel impossible : nouvelle tentative…");
      });
      document.addEventListener("visibilitychange", onVisibility);
    });
    return () => {
      cancelled = true;
      document.removeEventListener("visibilitychange", onVisibility);
      socket?.disconnect();
    };
  }, [sessionId]);

  return { members, status, error };
}
