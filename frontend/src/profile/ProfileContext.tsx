import { LinearProgress } from "@mui/material";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { FALLBACK_AUTH_CONFIG, loadAuthConfig, type AuthConfig, type OidcConfig } from "../auth/authConfig";
import { createOidcSession, type OidcSession, type SignedInUser } from "../auth/oidc";
import { readAdmin, writeAdmin } from "./adminStore";
import { readProfile, writeProfile } from "./profileStore";

/**
 * Who the app acts as. `key` names the identity: the Apollo client (and its
 * cache) is built afresh whenever it changes.
 */
export type Identity =
  | { kind: "demo"; key: string; profile: string; admin?: boolean }
  | { kind: "oidc"; key: string; user: SignedInUser }
  | { kind: "anonymous"; key: "anonymous" };

interface ProfileContextValue {
  /** The demo profile chosen in the menu (kept in localStorage). */
  profile: string;
  /** Acts as a demo profile (forgetting, in this tab, a user signed in at the provider). */
  setProfile: (profile: string) => void;
  /** Whether demo tokens carry the admin scope too (the ops console); kept in localStorage. */
  setAdmin: (admin: boolean) => void;
  /** What /auth/config said (or the fallback when it could not be read). */
  config: AuthConfig;
  identity: Identity;
  /** The OpenID Connect sign-in, when /auth/config names a provider. */
  oidc: OidcSession | null;
  /** Sends the browser to the provider; back at returnTo once signed in. */
  signIn: (returnTo?: string) => void;
  /** Signs the provider's user out. */
  signOut: () => void;
  /** Why the last sign-in or sign-out could not start; null when none. */
  authError: string | null;
  clearAuthError: () => void;
}

/**
 * The identity from the settings, the provider's user (if any), the demo
 * profile and whether its demo tokens carry the admin scope.
 */
export function identityOf(config: AuthConfig, user: SignedInUser | null, profile: string, admin = false): Identity {
  if (user) return { kind: "oidc", key: `oidc:${user.subject}`, user };
  if (config.demoTokens && admin) return { kind: "demo", key: `demo:${profile}:admin`, profile, admin: true };
  if (config.demoTokens) return { kind: "demo", key: `demo:${profile}`, profile };
  return { kind: "anonymous", key: "anonymous" };
}

/**
 * Whether the identity's tokens carry the admin scope, as far as the app
 * knows: a demo profile signed in as admin. A provider's user may be one
 * too; the router decides either way.
 */
export function isAdmin(identity: Identity): boolean {
  return identity.kind === "demo" && identity.admin === true;
}

const defaultProfile = readProfile(undefined);
const ProfileContext = createContext<ProfileContextValue>({
  profile: defaultProfile,
  setProfile: () => {},
  setAdmin: () => {},
  config: FALLBACK_AUTH_CONFIG,
  identity: identityOf(FALLBACK_AUTH_CONFIG, null, defaultProfile),
  oidc: null,
  signIn: () => {},
  signOut: () => {},
  authError: null,
  clearAuthError: () => {},
});

interface Loaded {
  config: AuthConfig;
  oidc: OidcSession | null;
  user: SignedInUser | null;
}

export interface ProfileProviderProps {
  children: ReactNode;
  /** Reads /auth/config (tests inject one). */
  loadConfig?: () => Promise<AuthConfig>;
  /** Builds the OpenID Connect sign-in (tests inject one over a fake UserManager). */
  createOidc?: (config: OidcConfig) => OidcSession;
  /** Shown until /auth/config has answered. */
  fallback?: ReactNode;
}

/**
 * Reads how this server signs viewers in (/auth/config), then holds who the
 * app acts as: the user signed in at the OpenID Connect provider, else the
 * chosen demo profile (when the server hands out demo tokens), else nobody.
 */
export function ProfileProvider({
  children,
  loadConfig = loadAuthConfig,
  createOidc = createOidcSession,
  fallback = <LinearProgress aria-label="Loading sign-in settings" />,
}: ProfileProviderProps) {
  const [profile, setProfileState] = useState(() => readProfile());
  const [admin, setAdminState] = useState(() => readAdmin());
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [authError, setAuthError] = useState<string | null>(null);

  // Read once; StrictMode's second run starts over, and only the run that
  // stays builds the UserManager.
  const factories = useRef({ loadConfig, createOidc });
  useEffect(() => {
    let active = true;
    let unsubscribe = () => {};
    void (async () => {
      const config = await factories.current.loadConfig();
      if (!active) return;
      let oidc: OidcSession | null = null;
      let user: SignedInUser | null = null;
      if (config.oidc) {
        try {
          oidc = factories.current.createOidc(config.oidc);
          unsubscribe = oidc.onUserChange((u) => setLoaded((prev) => (prev ? { ...prev, user: u } : prev)));
          user = await oidc.currentUser();
        } catch (err) {
          console.warn("Cinegraph: OpenID Connect sign-in unavailable:", err);
        }
      }
      if (active) setLoaded({ config, oidc, user });
    })();
    return () => {
      active = false;
      unsubscribe();
    };
  }, []);

  const oidc = loaded?.oidc ?? null;
  const setProfile = useCallback(
    (next: string) => {
      writeProfile(next);
      setProfileState(next);
      // Choosing a demo profile leaves the provider's user (in this tab only).
      if (oidc) void oidc.forget();
    },
    [oidc],
  );
  const setAdmin = useCallback((next: boolean) => {
    writeAdmin(next);
    setAdminState(next);
  }, []);
  const signIn = useCallback(
    (returnTo?: string) => {
      if (!oidc) return;
      setAuthError(null);
      oidc.signIn(returnTo).catch((err: unknown) => {
        setAuthError(`Could not sign in with ${oidc.providerName}: ${err instanceof Error ? err.message : String(err)}`);
      });
    },
    [oidc],
  );
  const signOut = useCallback(() => {
    if (!oidc) return;
    setAuthError(null);
    oidc.signOut().catch((err: unknown) => {
      setAuthError(`Could not sign out: ${err instanceof Error ? err.message : String(err)}`);
    });
  }, [oidc]);
  const clearAuthError = useCallback(() => setAuthError(null), []);

  const config = loaded?.config ?? FALLBACK_AUTH_CONFIG;
  const user = loaded?.user ?? null;
  const value = useMemo<ProfileContextValue>(
    () => ({
      profile,
      setProfile,
      setAdmin,
      config,
      identity: identityOf(config, user, profile, admin),
      oidc,
      signIn,
      signOut,
      authError,
      clearAuthError,
    }),
    [profile, setProfile, setAdmin, admin, config, user, oidc, signIn, signOut, authError, clearAuthError],
  );
  if (!loaded) return <>{fallback}</>;
  return <ProfileContext.Provider value={value}>{children}</ProfileContext.Provider>;
}

export function useProfile(): ProfileContextValue {
  return useContext(ProfileContext);
}
