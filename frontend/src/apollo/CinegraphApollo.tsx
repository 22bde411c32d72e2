import { ApolloProvider } from "@apollo/client/react";
import { useEffect, useMemo, type ReactNode } from "react";
import { LiveContext } from "../live/LiveContext";
import { useProfile } from "../profile/ProfileContext";
import { createCinegraphClient } from "./createClient";

/**
 * Provides an Apollo client for the current profile. Switching profiles
 * builds a fresh client (new cache, new socket with the new connection_init
 * payload) and disposes of the old one.
 */
export function CinegraphApollo({ children, pollIntervalMs = 4000 }: { children: ReactNode; pollIntervalMs?: number }) {
  const { profile } = useProfile();
  const handle = useMemo(() => createCinegraphClient({ profile }), [profile]);
  useEffect(() => () => handle.dispose(), [handle]);
  const live = useMemo(
    () => ({ socket: handle.socket, subscriptions: true, pollIntervalMs }),
    [handle, pollIntervalMs],
  );
  return (
    <ApolloProvider client={handle.client}>
      <LiveContext.Provider value={live}>{children}</LiveContext.Provider>
    </ApolloProvider>
  );
}
