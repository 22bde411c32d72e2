// A UserManager in miniature for tests of the OpenID Connect sign-in: one
// stored user, the userLoaded/userUnloaded events, and mocks for the calls.
import { User, type UserManagerSettings } from "oidc-client-ts";
import { vi } from "vitest";
import type { OidcConfig } from "../auth/authConfig";
import { createOidcSession, type OidcSession, type UserManagerLike } from "../auth/oidc";

export const T0 = Date.parse("2030-01-01T00:00:00Z");

export const testOidcConfig: OidcConfig = {
  issuer: "https://id.example.com",
  clientId: "cinegraph-web",
  scopes: ["openid", "profile"],
  audience: "https://api.example",
};

/** A user whose access token expires `inMs` after T0, with ID-token claims from profile. */
export function testUser(token: string, inMs: number, state?: unknown, profile: Record<string, unknown> = {}): User {
  return new User({
    access_token: token,
    token_type: "Bearer",
    id_token: "id-token-not-a-bearer",
    expires_at: Math.floor((T0 + inMs) / 1000),
    profile: { iss: testOidcConfig.issuer, sub: "sub-1", aud: testOidcConfig.clientId, exp: 0, iat: 0, ...profile },
    userState: state,
  });
}

export function fakeUserManager(stored: User | null, renewed: () => Promise<User | null> = () => Promise.resolve(null)) {
  const loaded = new Set<(u: User) => void>();
  const unloaded = new Set<() => void>();
  const manager = {
    getUser: vi.fn(async () => stored),
    removeUser: vi.fn(async () => {
      stored = null;
      unloaded.forEach((cb) => cb());
    }),
    signinSilent: vi.fn(async () => {
      const u = await renewed();
      if (u) {
        stored = u;
        loaded.forEach((cb) => cb(u));
      }
      return u;
    }),
    signinRedirect: vi.fn(async (_args?: unknown) => {}),
    /** Stores the user it resolves with (set one with mockResolvedValue) and raises userLoaded, as the real one does. */
    signinRedirectCallback: vi.fn(async (_url?: string): Promise<User> => {
      throw new Error("no sign-in to complete");
    }),
    signinSilentCallback: vi.fn(async (_url?: string) => {}),
    signoutRedirect: vi.fn(async () => {}),
    events: {
      addUserLoaded: (cb: (u: User) => void) => (loaded.add(cb), () => void loaded.delete(cb)),
      addUserUnloaded: (cb: () => void) => (unloaded.add(cb), () => void unloaded.delete(cb)),
    },
  };
  /** Stores the user and raises userLoaded, as the real one does before its callback resolves. */
  const load = (user: User) => {
    stored = user;
    loaded.forEach((cb) => cb(user));
  };
  /** Makes the callback complete a sign-in as the real UserManager does: load(user), then resolve with it. */
  const signInCompletes = (user: User) =>
    manager.signinRedirectCallback.mockImplementation(async () => {
      load(user);
      return user;
    });
  let settings: UserManagerSettings | undefined;
  const session = (
    { config = testOidcConfig, now = () => T0, inFrame = false }: { config?: OidcConfig; now?: () => number; inFrame?: boolean } = {},
  ): OidcSession =>
    createOidcSession(config, {
      origin: "https://cinegraph.example",
      storage: sessionStorage,
      userManager: (s) => {
        settings = s;
        return manager as unknown as UserManagerLike;
      },
      now,
      inFrame: () => inFrame,
    });
  return { manager, session, load, signInCompletes, settings: () => settings, stored: () => stored };
}
