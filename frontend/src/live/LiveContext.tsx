import { createContext, useContext, useSyncExternalStore } from "react";

export type SocketStatus = "idle" | "connecting" | "connected" | "closed";

/** Observable state of the subscription socket. */
export interface SocketStatusSource {
  get(): SocketStatus;
  subscribe(listener: () => void): () => void;
}

export interface LiveSettings {
  socket: SocketStatusSource;
  /** Whether subscriptions are configured at all (a websocket URL is set). */
  subscriptions: boolean;
  /** How often chat polls while the socket is not live. */
  pollIntervalMs: number;
}

const noSocket: SocketStatusSource = {
  get: () => "closed",
  subscribe: () => () => {},
};

export const LiveContext = createContext<LiveSettings>({
  socket: noSocket,
  subscriptions: false,
  pollIntervalMs: 4000,
});

export function useLiveSettings(): LiveSettings {
  return useContext(LiveContext);
}

export function useSocketStatus(): SocketStatus {
  const { socket } = useLiveSettings();
  return useSyncExternalStore(socket.subscribe, socket.get, socket.get);
}

/** A small mutable status holder the websocket client reports into. */
export function createSocketStatus(): SocketStatusSource & { set(status: SocketStatus): void } {
  let status: SocketStatus = "idle";
  const listeners = new Set<() => void>();
  return {
    get: () => status,
    set(next) {
      if (next === status) return;
      status = next;
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
