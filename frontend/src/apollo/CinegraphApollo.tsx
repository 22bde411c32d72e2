import { ApolloProvider } from "@apollo/client/react";
import { Fragment, useEffect, useMemo, useRef, type ReactNode } from "react";
import { ANONYMOUS } from "../auth/tokenSource";
import { LiveContext } from "../live/LiveContext";
import { useProfile } from "../profile/ProfileContext";
import { createCinegraphClient, type CinegraphClient } from "./createClient";

/**
 * Provides an Apollo client signed in as the current identity: the user
 * signed in at the OpenID Connect provider (its access tokens), a demo
 * profile (demo tokens), or nobody. Switching identity builds a fresh client
 * (new cache, new token, new socket) so one viewer's data never shows under
 * another, and disposes of the previous one. A renewed token for the same
 * user keeps the client.
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
  const { identity, oidc } = useProfile();
  const { key } = identity;
  const demoProfile = identity.kind === "demo" ? identity.profile : null;
  const demoAdmin = identity.kind === "demo" && identity.admin === true;
  const handle = useMemo(() => {
    if (demoProfile !== null) return createCinegraphClient({ profile: demoProfile, admin: demoAdmin, httpUrl, wsUrl });
    const tokens = key !== "anonymous" && oidc ? oidc.tokens : ANONYMOUS;
    return createCinegraphClient({ profile: key, tokens, httpUrl, wsUrl });
  }, [key, demoProfile, demoAdmin, oidc, httpUrl, wsUrl]);

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
        {/* Remount the screens per identity: no playback session or draft carries over. */}
        <Fragment key={key}>{children}</Fragment>
      </LiveContext.Provider>
    </ApolloProvider>
  );
}
