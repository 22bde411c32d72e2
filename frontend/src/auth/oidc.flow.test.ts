// The sign-in through the real oidc-client-ts UserManager, against a
// provider in miniature (its discovery document and token endpoint behind a
// stubbed fetch): the authorize request, the code exchange with PKCE, and
// the access token as the bearer.
import { UserManager, type INavigator } from "oidc-client-ts";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OidcConfig } from "./authConfig";
import { createOidcSession } from "./oidc";
import { NotSignedInError } from "./tokenSource";

const config: OidcConfig = {
  issuer: "https://id.example.com",
  clientId: "cinegraph-web",
  scopes: ["openid", "profile", "email"],
  audience: "https://api.example",
};
const ORIGIN = "https://cinegraph.example";

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url(claims)}.c2ln`;

function provider() {
  const tokenRequests: URLSearchParams[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url === `${config.issuer}/.well-known/openid-configuration`) {
      return Response.json({
        issuer: config.issuer,
        authorization_endpoint: `${config.issuer}/authorize`,
        token_endpoint: `${config.issuer}/token`,
        end_session_endpoint: `${config.issuer}/logout`,
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url === `${config.issuer}/token`) {
      tokenRequests.push(new URLSearchParams(String(init?.body)));
      const now = Math.floor(Date.now() / 1000);
      return Response.json({
        access_token: "provider-access-token",
        token_type: "Bearer",
        expires_in: 3600,
        scope: "openid profile email",
        id_token: jwt({
          iss: config.issuer,
          aud: config.clientId,
          sub: "user-42",
          name: "Ada Lovelace",
          email: "ada@example.com",
          iat: now,
          exp: now + 3600,
        }),
      });
    }
    return new Response("not found", { status: 404 });
  });
  return { tokenRequests };
}

/** A redirect navigator that records where the browser would have gone. */
function recordingNavigator() {
  const visited: string[] = [];
  const navigator: INavigator = {
    prepare: async () => ({
      navigate: async ({ url }) => {
        visited.push(url);
        return { url };
      },
      close: () => {},
    }),
    callback: async () => {},
  };
  return { visited, navigator };
}

describe("OpenID Connect sign-in with oidc-client-ts", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    sessionStorage.clear();
    localStorage.clear();
  });

  it("redirects with PKCE, trades the code and sends the access token", async () => {
    const { tokenRequests } = provider();
    const { visited, navigator } = recordingNavigator();
    const managers: UserManager[] = [];
    const session = createOidcSession(config, {
      origin: ORIGIN,
      inFrame: () => false,
      userManager: (settings) => {
        const m = new UserManager({ ...settings, automaticSilentRenew: false }, navigator);
        managers.push(m);
        return m;
      },
    });
    await expect(session.tokens.getToken()).rejects.toBeInstanceOf(NotSignedInError);

    await session.signIn("/title/t1?tab=2");
    expect(visited).toHaveLength(1);
    const authorize = new URL(visited[0]);
    expect(authorize.origin + authorize.pathname).toBe("https://id.example.com/authorize");
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      client_id: "cinegraph-web",
      redirect_uri: "https://cinegraph.example/auth/callback",
      response_type: "code",
      scope: "openid profile email",
      code_challenge_method: "S256",
      audience: "https://api.example",
    });
    expect(params.state).toBeTruthy();

    const back = await session.completeSignIn(`${ORIGIN}/auth/callback?code=the-code&state=${params.state}`);
    expect(back).toBe("/title/t1?tab=2");
    expect(tokenRequests).toHaveLength(1);
    const exchange = Object.fromEntries(tokenRequests[0]);
    expect(exchange).toMatchObject({
      grant_type: "authorization_code",
      code: "the-code",
      client_id: "cinegraph-web",
      redirect_uri: "https://cinegraph.example/auth/callback",
    });
    expect(exchange.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(exchange).not.toHaveProperty("client_secret");

    // The access token is the bearer, never the ID token.
    expect(await session.tokens.getToken()).toBe("provider-access-token");
    expect(await session.currentUser()).toEqual({ subject: "user-42", name: "Ada Lovelace", email: "ada@example.com" });
    expect(sessionStorage.getItem("oidc.user:https://id.example.com:cinegraph-web")).toContain("provider-access-token");

    session.tokens.drop();
    await expect(session.tokens.getToken()).rejects.toBeInstanceOf(NotSignedInError);
    expect(sessionStorage.getItem("oidc.user:https://id.example.com:cinegraph-web")).toBeNull();
    expect(managers).toHaveLength(1);
  });

  it("rejects with the provider's error", async () => {
    provider();
    const { visited, navigator } = recordingNavigator();
    const session = createOidcSession(config, {
      origin: ORIGIN,
      inFrame: () => false,
      userManager: (settings) => new UserManager({ ...settings, automaticSilentRenew: false }, navigator),
    });
    await session.signIn("/browse");
    const state = new URL(visited[0]).searchParams.get("state");
    await expect(
      session.completeSignIn(`${ORIGIN}/auth/callback?error=access_denied&error_description=No%20thanks&state=${state}`),
    ).rejects.toMatchObject({ error: "access_denied", error_description: "No thanks", state: { returnTo: "/browse" } });
  });
});
