/**
 * How this server signs viewers in: `GET /auth/config` on the GraphQL
 * endpoint's origin says whether `/auth/demo-token` hands out demo tokens
 * and which OpenID Connect provider (if any) the web app signs in with.
 */
import { GRAPHQL_PATH } from "../apollo/endpoints";

export const AUTH_CONFIG_PATH = "/auth/config";

/**
 * The web app's own route the provider sends the browser back to (the
 * redirect URI to register is `<origin>/auth/callback`). Not the server's:
 * the Go server and the dev server both answer it with index.html.
 */
export const AUTH_CALLBACK_PATH = "/auth/callback";

/** The web app's public OpenID Connect client (authorization code flow with PKCE). */
export interface OidcConfig {
  /** The provider's issuer URL; its endpoints are in `{issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  scopes: string[];
  /** Sent as the `audience` parameter of the authorize request when not null. */
  audience: string | null;
}

export interface AuthConfig {
  demoTokens: boolean;
  /** null: no provider configured. */
  oidc: OidcConfig | null;
}

/**
 * What the app goes on when /auth/config cannot be read (an older server,
 * or it is down): demo tokens if the server still hands them out (the token
 * source falls back to anonymous requests when it does not), no provider.
 */
export const FALLBACK_AUTH_CONFIG: AuthConfig = { demoTokens: true, oidc: null };

/** `/auth/config` on the origin of graphqlUrl; relative when it is. */
export function authConfigUrl(graphqlUrl: string = GRAPHQL_PATH): string {
  return URL.canParse(graphqlUrl) ? new URL(AUTH_CONFIG_PATH, graphqlUrl).toString() : AUTH_CONFIG_PATH;
}

export interface AuthConfigOptions {
  graphqlUrl?: string;
  fetch?: typeof fetch;
  /** The app waits for the answer before it signs in: give up after this long. */
  timeoutMs?: number;
}

/** Reads /auth/config; throws when it cannot be had or does not have the expected shape. */
export async function fetchAuthConfig({
  graphqlUrl = GRAPHQL_PATH,
  fetch = globalThis.fetch,
  timeoutMs = 10_000,
}: AuthConfigOptions = {}): Promise<AuthConfig> {
  const url = authConfigUrl(graphqlUrl);
  const fail = (reason: string, cause?: unknown) => new Error(`auth config from ${url}: ${reason}`, { cause });
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: "application/json" },
      cache: "no-store",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw fail(err instanceof Error ? err.message : String(err), err);
  }
  if (!response.ok) throw fail(`HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    throw fail("the answer is not JSON", err);
  }
  return parseAuthConfig(body, fail);
}

/** fetchAuthConfig, falling back to FALLBACK_AUTH_CONFIG (with a warning) when it fails. */
export async function loadAuthConfig(options: AuthConfigOptions = {}): Promise<AuthConfig> {
  try {
    return await fetchAuthConfig(options);
  } catch (err) {
    console.warn("Cinegraph: no sign-in settings, trying demo tokens:", err);
    return FALLBACK_AUTH_CONFIG;
  }
}

function parseAuthConfig(body: unknown, fail: (reason: string) => Error): AuthConfig {
  if (!isObject(body) || typeof body.demoTokens !== "boolean") {
    throw fail("the answer has no demoTokens");
  }
  const { oidc } = body;
  if (oidc === null || oidc === undefined) return { demoTokens: body.demoTokens, oidc: null };
  if (!isObject(oidc)) throw fail("oidc is not an object");
  const { issuer, clientId, scopes, audience } = oidc;
  if (typeof issuer !== "string" || !URL.canParse(issuer)) throw fail("oidc.issuer is not a URL");
  if (typeof clientId !== "string" || clientId === "") throw fail("oidc.clientId is missing");
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string" && s !== "")) {
    throw fail("oidc.scopes is not a list of scopes");
  }
  if (audience !== null && audience !== undefined && typeof audience !== "string") {
    throw fail("oidc.audience is not a string");
  }
  return {
    demoTokens: body.demoTokens,
    oidc: { issuer, clientId, scopes: [...scopes], audience: audience ? audience : null },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
