import { afterEach, describe, expect, it, vi } from "vitest";
import { authConfigUrl, fetchAuthConfig, FALLBACK_AUTH_CONFIG, loadAuthConfig, type AuthConfig } from "./authConfig";

const json = (body: unknown, status = 200) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

/** A fetch that answers every request with answer() and records the URLs. */
function server(answer: () => Response | Promise<Response>) {
  const urls: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    urls.push(String(input));
    return answer();
  };
  return { urls, fetch: fetch as typeof globalThis.fetch };
}

const oidc = { issuer: "https://id.example.com", clientId: "cinegraph-web", scopes: ["openid", "profile"] };

describe("authConfigUrl", () => {
  it.each([
    ["/graphql", "/auth/config"],
    ["http://127.0.0.1:4000/graphql", "http://127.0.0.1:4000/auth/config"],
    ["https://cinegraph.example/api/graphql?x=1", "https://cinegraph.example/auth/config"],
  ])("%s -> %s", (graphqlUrl, want) => {
    expect(authConfigUrl(graphqlUrl)).toBe(want);
  });
});

describe("fetchAuthConfig", () => {
  it.each<[string, unknown, AuthConfig]>([
    [
      "provider with an audience",
      { demoTokens: true, oidc: { ...oidc, audience: "https://api.example" } },
      { demoTokens: true, oidc: { ...oidc, audience: "https://api.example" } },
    ],
    ["provider without an audience", { demoTokens: false, oidc: { ...oidc, audience: null } }, { demoTokens: false, oidc: { ...oidc, audience: null } }],
    ["audience left out", { demoTokens: false, oidc }, { demoTokens: false, oidc: { ...oidc, audience: null } }],
    ["no provider", { demoTokens: true, oidc: null }, { demoTokens: true, oidc: null }],
    ["neither", { demoTokens: false, oidc: null }, { demoTokens: false, oidc: null }],
  ])("%s", async (_name, body, want) => {
    const s = server(() => json(body));
    expect(await fetchAuthConfig({ fetch: s.fetch, graphqlUrl: "http://127.0.0.1:4000/graphql" })).toEqual(want);
    expect(s.urls).toEqual(["http://127.0.0.1:4000/auth/config"]);
  });

  it.each<[string, () => Response | Promise<Response>, RegExp]>([
    ["network failure", () => Promise.reject(new TypeError("Failed to fetch")), /Failed to fetch/],
    ["HTTP error", () => json({ errors: [{ message: "nope" }] }, 404), /HTTP 404/],
    ["not JSON", () => json("<html>index</html>"), /not JSON/],
    ["no demoTokens", () => json({ oidc: null }), /no demoTokens/],
    ["issuer not a URL", () => json({ demoTokens: true, oidc: { ...oidc, issuer: "id.example.com" } }), /issuer/],
    ["no client id", () => json({ demoTokens: true, oidc: { ...oidc, clientId: "" } }), /clientId/],
    ["scopes not a list", () => json({ demoTokens: true, oidc: { ...oidc, scopes: "openid profile" } }), /scopes/],
    ["audience not a string", () => json({ demoTokens: true, oidc: { ...oidc, audience: 7 } }), /audience/],
  ])("fails on %s", async (_name, answer, want) => {
    await expect(fetchAuthConfig({ fetch: server(answer).fetch })).rejects.toThrow(want);
  });
});

describe("loadAuthConfig", () => {
  afterEach(() => vi.restoreAllMocks());

  it("returns what the server says", async () => {
    const body = { demoTokens: false, oidc: { ...oidc, audience: null } };
    expect(await loadAuthConfig({ fetch: server(() => json(body)).fetch })).toEqual(body);
  });

  it("falls back to demo tokens without a provider when the config cannot be read", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const config = await loadAuthConfig({ fetch: server(() => json("not found", 404)).fetch });
    expect(config).toEqual(FALLBACK_AUTH_CONFIG);
    expect(config).toEqual({ demoTokens: true, oidc: null });
    expect(warn).toHaveBeenCalledOnce();
  });
});
