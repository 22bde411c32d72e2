/**
 * Demo sign-in: bearer tokens for one seeded profile from the router's
 * `POST /auth/demo-token`, served on the GraphQL endpoint's origin. A token
 * is cached and replaced shortly before it expires; a caller whose token the
 * server rejected drops it, and the next caller fetches a fresh one.
 */
import { GRAPHQL_PATH } from "../apollo/endpoints";
import type { TokenSource } from "./tokenSource";

export type { TokenSource } from "./tokenSource";

export const DEMO_TOKEN_PATH = "/auth/demo-token";

/** How long before its expiresAt a cached token is replaced. */
export const REFRESH_MARGIN_MS = 30_000;

export interface DemoTokenOptions {
  profile: string;
  /** The GraphQL HTTP URL; the token is asked for on its origin. */
  graphqlUrl?: string;
  /** Asks for the admin scope too. */
  admin?: boolean;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (tests inject a clock). */
  now?: () => number;
}

/** `/auth/demo-token` on the origin of graphqlUrl; relative when it is. */
export function demoTokenUrl(graphqlUrl: string): string {
  return URL.canParse(graphqlUrl) ? new URL(DEMO_TOKEN_PATH, graphqlUrl).toString() : DEMO_TOKEN_PATH;
}

export function createDemoTokenSource({
  profile,
  graphqlUrl = GRAPHQL_PATH,
  admin = false,
  fetch = globalThis.fetch,
  now = Date.now,
}: DemoTokenOptions): TokenSource {
  const url = demoTokenUrl(graphqlUrl);
  let cached: { token: string; refreshAt: number } | undefined;
  // Callers arriving while a token is on its way share the one request.
  let pending: Promise<string> | undefined;

  const request = async (): Promise<string> => {
    const fail = (reason: string, cause?: unknown) =>
      new Error(`demo token for ${profile} from ${url}: ${reason}`, { cause });
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(admin ? { profile, admin } : { profile }),
      });
    } catch (err) {
      throw fail(err instanceof Error ? err.message : String(err), err);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      throw fail(`HTTP ${response.status}${serverMessage(body)}`);
    }
    const { token, expiresAt } = (body ?? {}) as { token?: unknown; expiresAt?: unknown };
    const expires = typeof expiresAt === "string" ? Date.parse(expiresAt) : NaN;
    if (typeof token !== "string" || token === "" || Number.isNaN(expires)) {
      throw fail("the answer has no token and expiresAt");
    }
    cached = { token, refreshAt: expires - REFRESH_MARGIN_MS };
    return token;
  };

  return {
    getToken() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      pending ??= request().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    drop() {
      cached = undefined;
    },
  };
}

// The router answers a refused request as GraphQL errors: `{"errors": [{"message"}]}`.
function serverMessage(body: unknown): string {
  const message = (body as { errors?: { message?: unknown }[] } | undefined)?.errors?.[0]?.message;
  return typeof message === "string" ? `: ${message}` : "";
}
