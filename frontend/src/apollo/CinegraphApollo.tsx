import { ApolloProvider } from "@apollo/client/react";
import { Fragment, useEffect, useMemo, useRef, type ReactNode } from "react";
import { LiveContext } from "../live/LiveContext";
import { useProfile } from "../profile/ProfileContext";
import { createCinegraphClient, type CinegraphClient } from "./createClient";

/**
 * Provides an Apollo client signed in as the current profile (demo tokens).
 * Switching profiles builds a fresh client (new cache, new token, new socket)
 * so one viewer's data never shows under another, and disposes of the
 * previous one.
 */
export function CinegraphApollo({
  children,
  pollIntervalMs = 4000,
  httpUrl,
  wsUrl,
}: {
  children: ReactNode;
  pollIntervalMs?: number;
  /** Endpoint overrides; the defaults are the same-origin /graphql. */
  httpUrl?: string;
  wsUrl?: string | null;
}) {
  const { profile } = useProfile();
  const handle = useMemo(() => createCinegraphClient({ profile, httpUrl, wsUrl }), [profile, httpUrl, wsUrl]);

  // Dispose of the replaced client only once the new one is committed (not in
  // an effect cleanup, which StrictMode also runs on its simulated remount).
  const current = useRef<CinegraphClient | null>(null);
  useEffect(() => {
    const previous = current.current;
    current.current = handle;
    if (previous && previous !== handle) previous.dispose();
  }, [handle]);

  const live = useMemo(
    () => ({ socket: handle.socket, subscriptions: handle.subscriptions, pollIntervalMs }),
    [handle, pollIntervalMs],
  );
  return (
    <ApolloProvider client={handle.client}>
      <LiveContext.Provider value={live}>
        {/* Remount the screens per profile: no playback session or draft carries over. */}
        <Fragment key={profile}>{children}</Fragment>
      </LiveContext.Provider>
    </ApolloProvider>
  );
}
