import { useEffect, useState } from "react";
import type { Socket } from "socket.io-client";
import type { SlotState } from "~/commission/slot-context.server";

export type PresenceMember = { userId: string; displayName: string; role: string; devices: number; idle: boolean };
export type SocketStatus = "connecting" | "connected" | "disconnected" | "refused";

/**
 * One socket.io connection per session page: joins the session room, follows the server-computed presence and
 * the authoritative state of each candidate's passage (phase, timer start, signing), broadcast on every change.
 */
export function useSessionSocket(sessionId: string, initialSlot: SlotState | null) {
  const [members, setMembers] = useState<PresenceMember[]>([]);
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const [error, setError] = useState<string | null>(null);
  // Broadcast states by passage; the newest of the loader's state and the last broadcast is shown.
  const [broadcasts, setBroadcasts] = useState<Record<string, SlotState>>({});
  const broadcast = initialSlot ? broadcasts[initialSlot.slotId] : undefined;
  const slot =
    initialSlot && broadcast && Date.parse(broadcast.serverNow) > Date.parse(initialSlot.serverNow) ? broadcast : initialSlot;

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
      socket.on("slot:state", (state: SlotState) => {
        if (state?.slotId) setBroadcasts((all) => ({ ...all, [state.slotId]: state }));
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

  return { members, status, error, slot };
}
