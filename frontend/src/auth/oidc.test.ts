import { ErrorResponse, OidcClient, WebStorageStateStore, type User } from "oidc-client-ts";
import { describe, expect, it, vi } from "vitest";
import { fakeUserManager, T0, testOidcConfig, testUser } from "../test/fakeOidc";
import type { OidcConfig } from "./authConfig";
import { returnPath, userLabel, userManagerSettings } from "./oidc";
import { NotSignedInError } from "./tokenSource";

const config = testOidcConfig;
const user = testUser;
const fakeManager = fakeUserManager;

describe("userManagerSettings", () => {
  it.each<[string, OidcConfig, Record<string, string> | undefined]>([
    ["with an audience", config, { audience: "https://api.example" }],
    ["without an audience", { ...config, audience: null }, undefined],
  ])("%s", (_name, c, extra) => {
    const s = userManagerSettings(c, "https://cinegraph.example", sessionStorage);
    expect(s).toMatchObject({
      authority: "https://id.example.com",
      client_id: "cinegraph-web",
      redirect_uri: "https://cinegraph.example/auth/callback",
      post_logout_redirect_uri: "https://cinegraph.example",
      scope: "openid profile",
      response_type: "code",
      automaticSilentRenew: true,
    });
    expect(s.extraQueryParams).toEqual(extra);
    expect(s.userStore).toBeInstanceOf(WebStorageStateStore);
  });

  it("keeps the user in the given storage", async () => {
    const s = userManagerSettings(config, "https://cinegraph.example", sessionStorage);
    await s.userStore!.set("k", "v");
    expect(sessionStorage.getItem("oidc.k")).toBe("v");
    expect(localStorage.getItem("oidc.k")).toBeNull();
    sessionStorage.clear();
  });

  it("asks for a code with PKCE (S256) and the audience", async () => {
    const client = new OidcClient({
      ...userManagerSettings(config, "https://cinegraph.example", sessionStorage),
      metadata: {
        issuer: config.issuer,
        authorization_endpoint: "https://id.example.com/authorize",
        token_endpoint: "https://id.example.com/token",
      },
    });
    const request = await client.createSigninRequest({ request_type: "si:r" });
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe("https://id.example.com/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: "cinegraph-web",
      redirect_uri: "https://cinegraph.example/auth/callback",
      response_type: "code",
      scope: "openid profile",
      code_challenge_method: "S256",
      audience: "https://api.example",
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    localStorage.clear();
  });
});

describe("OIDC token source", () => {
  const MIN = 60_000;
  it.each<{
    name: string;
    stored: User | null;
    renewed?: () => Promise<User | null>;
    want: string | RegExp;
    silent: number;
    removed: boolean;
  }>([
    { name: "current token", stored: user("at-1", 10 * MIN), want: "at-1", silent: 0, removed: false },
    {
      name: "expired token renewed silently",
      stored: user("at-1", -MIN),
      renewed: async () => user("at-2", 60 * MIN),
      want: "at-2",
      silent: 1,
      removed: false,
    },
    {
      name: "token about to expire renewed silently",
      stored: user("at-1", 10_000),
      renewed: async () => user("at-2", 60 * MIN),
      want: "at-2",
      silent: 1,
      removed: false,
    },
    {
      name: "token about to expire, renewal fails: the current one still",
      stored: user("at-1", 10_000),
      renewed: () => Promise.reject(new Error("login_required")),
      want: "at-1",
      silent: 1,
      removed: false,
    },
    {
      name: "expired token, renewal fails: the user goes",
      stored: user("at-1", -MIN),
      renewed: () => Promise.reject(new Error("login_required")),
      want: /id\.example\.com expired and could not be renewed \(login_required\); sign in again/,
      silent: 1,
      removed: true,
    },
    { name: "no user", stored: null, want: /not signed in with id\.example\.com/, silent: 0, removed: false },
  ])("$name", async ({ stored, renewed, want, silent, removed }) => {
    const fake = fakeManager(stored, renewed);
    const got = fake.session().tokens.getToken();
    if (typeof want === "string") await expect(got).resolves.toBe(want);
    else await expect(got).rejects.toThrow(want);
    expect(fake.manager.signinSilent).toHaveBeenCalledTimes(silent);
    expect(fake.manager.removeUser).toHaveBeenCalledTimes(removed ? 1 : 0);
  });

  it("rejects with NotSignedInError when nobody signed in", async () => {
    await expect(fakeManager(null).session().tokens.getToken()).rejects.toBeInstanceOf(NotSignedInError);
  });

  it("shares one renewal between callers", async () => {
    const fake = fakeManager(user("at-1", -1), async () => user("at-2", 60 * MIN));
    const { tokens } = fake.session();
    expect(await Promise.all([tokens.getToken(), tokens.getToken()])).toEqual(["at-2", "at-2"]);
    expect(fake.manager.signinSilent).toHaveBeenCalledOnce();
  });

  it("drop removes the user, so the next request goes without", async () => {
    const fake = fakeManager(user("at-1", 60 * MIN));
    const { tokens } = fake.session();
    expect(await tokens.getToken()).toBe("at-1");
    tokens.drop();
    expect(fake.manager.removeUser).toHaveBeenCalledOnce();
    await expect(tokens.getToken()).rejects.toBeInstanceOf(NotSignedInError);
    expect(fake.stored()).toBeNull();
  });
});

describe("OIDC session", () => {
  it("signs in with a redirect that remembers where the user was", async () => {
    const fake = fakeManager(null);
    await fake.session().signIn("/title/t1?x=1");
    expect(fake.manager.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: "/title/t1?x=1" } });
  });

  it("completes the sign-in once per callback URL and says where to go", async () => {
    const fake = fakeManager(null);
    fake.manager.signinRedirectCallback.mockResolvedValue(user("at-1", 60_000, { returnTo: "/browse" }));
    const session = fake.session();
    const url = "https://cinegraph.example/auth/callback?code=c&state=s";
    expect(await session.completeSignIn(url)).toBe("/browse");
    expect(await session.completeSignIn(url)).toBe("/browse");
    expect(fake.manager.signinRedirectCallback).toHaveBeenCalledOnce();
    expect(fake.manager.signinRedirectCallback).toHaveBeenCalledWith(url);
  });

  it("passes the provider's error on", async () => {
    const fake = fakeManager(null);
    fake.manager.signinRedirectCallback.mockRejectedValue(
      new ErrorResponse({ error: "access_denied", error_description: "The user said no" }),
    );
    await expect(fake.session().completeSignIn("https://cinegraph.example/auth/callback?error=access_denied")).rejects.toMatchObject({
      error: "access_denied",
    });
  });

  it("answers the silent-renew frame instead of navigating", async () => {
    const fake = fakeManager(null);
    expect(await fake.session({ inFrame: true }).completeSignIn("https://cinegraph.example/auth/callback?code=c")).toBeNull();
    expect(fake.manager.signinSilentCallback).toHaveBeenCalledOnce();
    expect(fake.manager.signinRedirectCallback).not.toHaveBeenCalled();
  });

  it("signs out at the provider, or here when it cannot", async () => {
    const fake = fakeManager(user("at-1", 60_000));
    const session = fake.session();
    await session.signOut();
    expect(fake.manager.signoutRedirect).toHaveBeenCalledOnce();
    expect(fake.manager.removeUser).not.toHaveBeenCalled();

    vi.spyOn(console, "warn").mockImplementation(() => {});
    fake.manager.signoutRedirect.mockRejectedValue(new Error("No end session endpoint"));
    await session.signOut();
    expect(fake.manager.removeUser).toHaveBeenCalledOnce();
  });

  it("reports the user from the ID token profile and its changes", async () => {
    const fake = fakeManager(user("at-1", 60_000, undefined, { name: "Ada Lovelace", email: "ada@example.com" }));
    const session = fake.session({ now: () => T0 - 60 * 60_000 });
    expect(await session.currentUser()).toEqual({ subject: "sub-1", name: "Ada Lovelace", email: "ada@example.com" });
    const seen: unknown[] = [];
    const off = session.onUserChange((u) => seen.push(u && userLabel(u)));
    await session.forget();
    off();
    await session.forget();
    expect(seen).toEqual([null]);
    expect(await session.currentUser()).toBeNull();
  });
});

describe("returnPath", () => {
  it.each([
    [{ returnTo: "/title/t1?x=1" }, "/title/t1?x=1"],
    [{ returnTo: "//evil.example/x" }, "/"],
    [{ returnTo: "/\\evil.example" }, "/"],
    [{ returnTo: "https://evil.example/" }, "/"],
    [{ returnTo: "/auth/callback?code=1" }, "/"],
    [undefined, "/"],
    [{ returnTo: 3 }, "/"],
  ])("%j -> %s", (state, want) => {
    expect(returnPath(state)).toBe(want);
  });
});

describe("userLabel", () => {
  it.each([
    [{ subject: "s", name: "Ada", email: "ada@example.com" }, "Ada (ada@example.com)"],
    [{ subject: "s", name: null, email: "ada@example.com" }, "ada@example.com"],
    [{ subject: "s", name: "Ada", email: null }, "Ada"],
    [{ subject: "s", name: null, email: null }, "s"],
  ])("%j -> %s", (u, want) => {
    expect(userLabel(u)).toBe(want);
  });
});
