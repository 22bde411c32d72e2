/**
 * Sign-in with the OpenID Connect provider /auth/config names: the
 * authorization code flow with PKCE (S256), run by oidc-client-ts's
 * UserManager. The user (tokens and ID-token profile) is kept in this
 * tab's sessionStorage; the provider's access token, not the ID token, is
 * the bearer the router verifies.
 */
import { UserManager, WebStorageStateStore, type User, type UserManagerSettings } from "oidc-client-ts";
import { AUTH_CALLBACK_PATH, type OidcConfig } from "./authConfig";
import { REFRESH_MARGIN_MS } from "./demoToken";
import { NotSignedInError, type TokenSource } from "./tokenSource";

/** The part of UserManager this module uses (tests pass a fake). */
export type UserManagerLike = Pick<
  UserManager,
  "getUser" | "removeUser" | "signinRedirect" | "signinRedirectCallback" | "signinSilent" | "signinSilentCallback" | "signoutRedirect"
> & { events: Pick<UserManager["events"], "addUserLoaded" | "addUserUnloaded"> };

/** Who is signed in, from the ID token's claims. */
export interface SignedInUser {
  /** The provider's subject (`sub`). */
  subject: string;
  name: string | null;
  email: string | null;
}

export interface OidcSession {
  readonly issuer: string;
  /** The issuer's host, as the menu names the provider. */
  readonly providerName: string;
  /** Bearer tokens for the Apollo client: the signed-in user's access token. */
  readonly tokens: TokenSource;
  /** The signed-in user in this tab, if any (even one whose token needs renewing). */
  currentUser(): Promise<SignedInUser | null>;
  /** Called with the user whenever one signs in (or is renewed) and with null when they go. */
  onUserChange(listener: (user: SignedInUser | null) => void): () => void;
  /** Sends the browser to the provider; it comes back to /auth/callback and then to returnTo. */
  signIn(returnTo?: string): Promise<void>;
  /**
   * On /auth/callback: trades the code for tokens and stores the user.
   * Resolves with the path to go back to (null inside the silent-renew
   * frame); rejects with the provider's error (e.g. access_denied). One
   * exchange per callback URL, however often it is called.
   */
  completeSignIn(url?: string): Promise<string | null>;
  /** Signs out at the provider (a redirect) or, when it has no end-session endpoint, here only. */
  signOut(): Promise<void>;
  /** Forgets the user in this tab, without telling the provider. */
  forget(): Promise<void>;
}

export interface OidcSessionOptions {
  /** The app's origin: the redirect URIs are on it. */
  origin?: string;
  /** Where the user is kept; default sessionStorage. */
  storage?: Storage;
  /** Builds the UserManager (tests inject a fake). */
  userManager?: (settings: UserManagerSettings) => UserManagerLike;
  /** Milliseconds since the epoch (tests inject a clock). */
  now?: () => number;
  /** Whether this page runs in a frame (the silent-renew iframe). */
  inFrame?: () => boolean;
}

/** The UserManager settings for the provider /auth/config names. */
export function userManagerSettings(
  config: OidcConfig,
  origin: string = window.location.origin,
  storage: Storage = window.sessionStorage,
): UserManagerSettings {
  return {
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}${AUTH_CALLBACK_PATH}`,
    post_logout_redirect_uri: origin,
    scope: config.scopes.join(" "),
    response_type: "code",
    ...(config.audience ? { extraQueryParams: { audience: config.audience } } : {}),
    userStore: new WebStorageStateStore({ store: storage }),
    automaticSilentRenew: true,
  };
}

export function createOidcSession(
  config: OidcConfig,
  {
    origin = window.location.origin,
    storage = window.sessionStorage,
    userManager = (settings) => new UserManager(settings),
    now = Date.now,
    inFrame = () => window.self !== window.top,
  }: OidcSessionOptions = {},
): OidcSession {
  const manager = userManager(userManagerSettings(config, origin, storage));
  const providerName = issuerHost(config.issuer);

  const expiresAt = (user: User) => (user.expires_at === undefined ? Infinity : user.expires_at * 1000);
  const expired = (user: User) => expiresAt(user) <= now();
  const fresh = (user: User) => expiresAt(user) - now() > REFRESH_MARGIN_MS;

  // drop() is synchronous; the next getToken waits for the removal.
  let dropping: Promise<void> = Promise.resolve();
  // Callers arriving while a renewal is under way share it.
  let renewing: Promise<string> | undefined;

  const renew = async (user: User): Promise<string> => {
    try {
      const renewed = await manager.signinSilent();
      if (renewed?.access_token && !expired(renewed)) return renewed.access_token;
      throw new Error("the provider returned no access token");
    } catch (err) {
      // Not expired yet: good for the few seconds it has left.
      if (!expired(user)) return user.access_token;
      await manager.removeUser().catch(() => {});
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`the sign-in with ${providerName} expired and could not be renewed (${reason}); sign in again`, {
        cause: err,
      });
    }
  };

  const tokens: TokenSource = {
    async getToken() {
      await dropping;
      const user = await manager.getUser();
      if (!user?.access_token) {
        throw new NotSignedInError(`not signed in with ${providerName}`);
      }
      if (fresh(user)) return user.access_token;
      renewing ??= renew(user).finally(() => {
        renewing = undefined;
      });
      return renewing;
    },
    drop() {
      dropping = manager.removeUser().catch((err: unknown) => {
        console.warn("Cinegraph: could not forget the refused sign-in:", err);
      });
    },
  };

  const completions = new Map<string, Promise<string | null>>();
  const complete = async (url: string): Promise<string | null> => {
    if (inFrame()) {
      // The silent-renew iframe: hand the answer to the page that opened it.
      await manager.signinSilentCallback(url);
      return null;
    }
    const user = await manager.signinRedirectCallback(url);
    return returnPath(user.state);
  };

  return {
    issuer: config.issuer,
    providerName,
    tokens,
    async currentUser() {
      const user = await manager.getUser();
      return user?.access_token ? signedInUser(user) : null;
    },
    onUserChange(listener) {
      const offLoaded = manager.events.addUserLoaded((user) => listener(signedInUser(user)));
      const offUnloaded = manager.events.addUserUnloaded(() => listener(null));
      return () => {
        offLoaded();
        offUnloaded();
      };
    },
    signIn(returnTo = "/") {
      return manager.signinRedirect({ state: { returnTo: returnPath({ returnTo }) } });
    },
    completeSignIn(url = window.location.href) {
      let done = completions.get(url);
      if (!done) {
        done = complete(url);
        completions.set(url, done);
      }
      return done;
    },
    async signOut() {
      try {
        await manager.signoutRedirect();
      } catch (err) {
        // No end_session_endpoint (or the provider is unreachable): signed out here.
        console.warn(`Cinegraph: signed out here only, not at ${providerName}:`, err);
        await manager.removeUser();
      }
    },
    forget() {
      return manager.removeUser();
    },
  };
}

/** The user as the menu shows them, from the ID token's claims. */
export function signedInUser(user: Pick<User, "profile">): SignedInUser {
  const { sub, name, preferred_username, email } = user.profile;
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v : null);
  return { subject: sub, name: text(name) ?? text(preferred_username), email: text(email) };
}

/** How the menu names a signed-in user: name and email, whichever the ID token has. */
export function userLabel(user: SignedInUser): string {
  if (user.name && user.email && user.name !== user.email) return `${user.name} (${user.email})`;
  return user.name ?? user.email ?? user.subject;
}

/** The issuer's host (with port), as the menu names the provider. */
export function issuerHost(issuer: string): string {
  return URL.canParse(issuer) ? new URL(issuer).host : issuer;
}

/**
 * The path kept in the sign-in request's state: a same-origin path only
 * (never another site, never the callback itself); "/" otherwise.
 */
export function returnPath(state: unknown): string {
  const to = (state as { returnTo?: unknown } | null | undefined)?.returnTo;
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return "/";
  const path = new URL(to, "http://app.invalid").pathname;
  return path === AUTH_CALLBACK_PATH ? "/" : to;
}
