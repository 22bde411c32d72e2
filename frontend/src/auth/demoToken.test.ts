import { describe, expect, it } from "vitest";
import { createDemoTokenSource, demoTokenUrl, REFRESH_MARGIN_MS } from "./demoToken";

const T0 = Date.parse("2030-01-01T00:00:00Z");
const HOUR = 3_600_000;

/** A /auth/demo-token in miniature: numbered tokens valid for an hour from the clock. */
function tokenServer(clock: { now: number }) {
  const requests: { url: string; init?: RequestInit }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), init });
    const { profile } = JSON.parse(String(init?.body)) as { profile: string };
    const answer = {
      token: `tok-${requests.length}`,
      profile,
      scopes: ["viewer"],
      expiresAt: new Date(clock.now + HOUR).toISOString(),
    };
    return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json" } });
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

describe("demoTokenUrl", () => {
  it.each([
    ["/graphql", "/auth/demo-token"],
    ["http://127.0.0.1:4000/graphql", "http://127.0.0.1:4000/auth/demo-token"],
    ["https://cinegraph.example/api/graphql?x=1", "https://cinegraph.example/auth/demo-token"],
  ])("%s -> %s", (graphqlUrl, want) => {
    expect(demoTokenUrl(graphqlUrl)).toBe(want);
  });
});

describe("createDemoTokenSource", () => {
  it("POSTs the profile as JSON to the GraphQL URL's origin", async () => {
    const clock = { now: T0 };
    const server = tokenServer(clock);
    const source = createDemoTokenSource({
      profile: "profile-3",
      graphqlUrl: "http://127.0.0.1:4000/graphql",
      fetch: server.fetch,
      now: () => clock.now,
    });
    expect(await source.getToken()).toBe("tok-1");
    const [{ url, init }] = server.requests;
    expect(url).toBe("http://127.0.0.1:4000/auth/demo-token");
    expect(init?.method).toBe("POST");
    expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
    expect(JSON.parse(String(init?.body))).toEqual({ profile: "profile-3" });
  });

  it("asks for the admin scope when told", async () => {
    const clock = { now: T0 };
    const server = tokenServer(clock);
    const source = createDemoTokenSource({ profile: "profile-1", admin: true, fetch: server.fetch, now: () => clock.now });
    await source.getToken();
    expect(JSON.parse(String(server.requests[0].init?.body))).toEqual({ profile: "profile-1", admin: true });
  });

  // Each step advances the clock to `at` ms after T0 (or drops the token), then
  // gets a token; tokens last an hour from when they were fetched.
  it.each([
    {
      name: "caches the token",
      steps: [{ at: 0 }, { at: 1000 }, { at: HOUR / 2 }],
      want: ["tok-1", "tok-1", "tok-1"],
    },
    {
      name: "keeps it until the refresh margin before expiry",
      steps: [{ at: 0 }, { at: HOUR - REFRESH_MARGIN_MS - 1 }],
      want: ["tok-1", "tok-1"],
    },
    {
      name: "fetches a fresh one shortly before expiry",
      steps: [{ at: 0 }, { at: HOUR - REFRESH_MARGIN_MS }, { at: HOUR }],
      want: ["tok-1", "tok-2", "tok-2"],
    },
    {
      name: "fetches again after a drop",
      steps: [{ at: 0 }, { at: 10, drop: true }, { at: 20 }],
      want: ["tok-1", "tok-2", "tok-2"],
    },
  ])("$name", async ({ steps, want }) => {
    const clock = { now: T0 };
    const server = tokenServer(clock);
    const source = createDemoTokenSource({ profile: "profile-2", fetch: server.fetch, now: () => clock.now });
    const got: string[] = [];
    for (const step of steps) {
      clock.now = T0 + step.at;
      if ("drop" in step) source.drop();
      got.push(await source.getToken());
    }
    expect(got).toEqual(want);
    expect(server.requests).toHaveLength(new Set(want).size);
  });

  it("shares one request among concurrent callers", async () => {
    const clock = { now: T0 };
    const server = tokenServer(clock);
    const source = createDemoTokenSource({ profile: "profile-2", fetch: server.fetch, now: () => clock.now });
    expect(await Promise.all([source.getToken(), source.getToken(), source.getToken()])).toEqual(["tok-1", "tok-1", "tok-1"]);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    {
      name: "the server refuses",
      fetch: async () =>
        new Response(JSON.stringify({ errors: [{ message: 'no demo profile "profile-99"' }] }), {
          status: 400,
          headers: { "content-type": "application/json" },
        }),
      error: /^demo token for profile-99 from \/auth\/demo-token: HTTP 400: no demo profile "profile-99"$/,
    },
    {
      name: "no demo sign-in on this server",
      fetch: async () => new Response("404 page not found", { status: 404 }),
      error: /^demo token for profile-99 from \/auth\/demo-token: HTTP 404$/,
    },
    {
      name: "the network fails",
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
      error: /^demo token for profile-99 from \/auth\/demo-token: Failed to fetch$/,
    },
    {
      name: "the answer has no token",
      fetch: async () => new Response(JSON.stringify({ profile: "profile-99" }), { headers: { "content-type": "application/json" } }),
      error: /the answer has no token and expiresAt$/,
    },
  ])("rejects with a clear error when $name, and tries again next time", async ({ fetch, error }) => {
    let calls = 0;
    const counting = async () => {
      calls++;
      return fetch();
    };
    const source = createDemoTokenSource({ profile: "profile-99", fetch: counting as typeof globalThis.fetch });
    await expect(source.getToken()).rejects.toThrow(error);
    await expect(source.getToken()).rejects.toThrow(error);
    expect(calls).toBe(2);
  });
});
