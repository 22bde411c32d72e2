import { gql } from "@apollo/client";
import { MessageAddedDocument, ViewerDocument } from "../gql/graphql";
import manifest from "../../persisted-query-manifest.json";
import { describe, expect, it, vi } from "vitest";
import { ANONYMOUS } from "../auth/tokenSource";
import { createCinegraphClient } from "./createClient";
import { defaultWsUrl } from "./endpoints";
import { sha256 } from "./persistedQueries";

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const viewerData = (id: string) => ({ data: { viewer: { __typename: "Profile", id } } });

describe("createCinegraphClient", () => {
  it("sends the bearer token and no profile header on HTTP requests", async () => {
    const seen: Headers[] = [];
    const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return json(viewerData("profile-3"));
    };
    const { client, dispose } = createCinegraphClient({
      profile: "profile-3",
      getToken: async () => "tok-3",
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: null,
      fetch: fetch as typeof globalThis.fetch,
      persistedQueries: false,
    });
    const result = await client.query({ query: gql`query { viewer { id } }` });
    expect(result.data).toEqual({ viewer: { __typename: "Profile", id: "profile-3" } });
    expect(seen).toHaveLength(1);
    expect(seen[0].get("Authorization")).toBe("Bearer tok-3");
    expect(seen[0].has("X-Cinegraph-Profile")).toBe(false);
    dispose();
  });

  it("goes anonymously, quietly, with the anonymous token source", async () => {
    const seen: Headers[] = [];
    const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return json({ data: { viewer: null } });
    };
    const warn = vi.spyOn(console, "warn");
    const { client, dispose } = createCinegraphClient({
      profile: "anonymous",
      tokens: ANONYMOUS,
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: null,
      fetch: fetch as typeof globalThis.fetch,
      persistedQueries: false,
    });
    await client.query({ query: gql`query { viewer { id } }` });
    expect(seen.map((h) => h.get("Authorization"))).toEqual([null]);
    expect(warn).not.toHaveBeenCalled();
    dispose();
  });

  it("gets demo tokens for its profile from the endpoint's origin by default", async () => {
    const seen: { url: string; body?: string; authorization: string | null }[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      seen.push({ url, body: init?.body as string | undefined, authorization: new Headers(init?.headers).get("Authorization") });
      if (url.endsWith("/auth/demo-token")) {
        return json({ token: "demo-7", profile: "profile-7", scopes: ["viewer"], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
      }
      return json(viewerData("profile-7"));
    };
    const { client, dispose } = createCinegraphClient({
      profile: "profile-7",
      httpUrl: "http://127.0.0.1:4000/graphql",
      wsUrl: null,
      fetch: fetch as typeof globalThis.fetch,
      persistedQueries: false,
    });
    await client.query({ query: gql`query { viewer { id } }`, fetchPolicy: "network-only" });
    await client.query({ query: gql`query { viewer { id } }`, fetchPolicy: "network-only" });
    expect(seen).toEqual([
      { url: "http://127.0.0.1:4000/auth/demo-token", body: JSON.stringify({ profile: "profile-7" }), authorization: null },
      { url: "http://127.0.0.1:4000/graphql", body: expect.any(String), authorization: "Bearer demo-7" },
      { url: "http://127.0.0.1:4000/graphql", body: expect.any(String), authorization: "Bearer demo-7" },
    ]);
    dispose();
  });

  // The router answers each request by the token it carries: `answers` maps a
  // token ("" for none) to its response.
  it.each([
    {
      name: "an expired token (HTTP 401) is dropped and the request retried with a fresh one",
      answers: { "tok-1": "401", "tok-2": "ok" },
      sent: ["Bearer tok-1", "Bearer tok-2"],
      drops: 1,
      error: undefined,
    },
    {
      name: "an UNAUTHENTICATED error is dropped and retried too",
      answers: { "tok-1": "unauthenticated", "tok-2": "ok" },
      sent: ["Bearer tok-1", "Bearer tok-2"],
      drops: 1,
      error: undefined,
    },
    {
      name: "the retry happens once only",
      answers: { "tok-1": "401 graphql-response", "tok-2": "401 graphql-response" },
      sent: ["Bearer tok-1", "Bearer tok-2"],
      drops: 2,
      error: /^invalid token$/,
    },
    {
      name: "without a token the request goes anonymously and is not retried",
      answers: { "": "unauthenticated" },
      tokens: [],
      sent: [null],
      drops: 0,
      error: /^sign in$/,
    },
  ])("$name", async ({ answers, tokens = ["tok-1", "tok-2"], sent, drops, error }) => {
    const responses = {
      ok: () => json(viewerData("profile-1")),
      "401": () => json({ errors: [{ message: "token expired", extensions: { code: "UNAUTHENTICATED" } }] }, 401),
      // As the router answers a client that accepts graphql-response+json.
      "401 graphql-response": () =>
        new Response(JSON.stringify({ errors: [{ message: "invalid token", extensions: { code: "UNAUTHENTICATED" } }] }), {
          status: 401,
          headers: { "content-type": "application/graphql-response+json" },
        }),
      unauthenticated: () =>
        json({ data: { viewer: null }, errors: [{ message: "sign in", path: ["viewer"], extensions: { code: "UNAUTHENTICATED" } }] }),
    };
    const seen: (string | null)[] = [];
    const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get("Authorization");
      seen.push(authorization);
      const token = authorization?.replace(/^Bearer /, "") ?? "";
      return responses[answers[token as keyof typeof answers] as keyof typeof responses]();
    };
    const queue = [...tokens];
    let dropped = 0;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client, dispose } = createCinegraphClient({
      profile: "profile-1",
      getToken: async () => queue.shift() ?? Promise.reject(new Error("signed out")),
      dropToken: () => dropped++,
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: null,
      fetch: fetch as typeof globalThis.fetch,
      persistedQueries: false,
    });
    const result = await client.query({ query: gql`query { viewer { id } }`, errorPolicy: "all" });
    expect(seen).toEqual(sent);
    expect(dropped).toBe(drops);
    if (error) {
      expect(result.error?.message).toMatch(error);
    } else {
      expect(result.error).toBeUndefined();
      expect(result.data).toEqual({ viewer: { __typename: "Profile", id: "profile-1" } });
    }
    expect(warn).toHaveBeenCalledTimes(tokens.length === 0 ? 1 : 0);
    dispose();
  });
});

describe("createCinegraphClient persisted queries", () => {
  it("sends a query's hash alone by GET, and the document only when the router asks, each with the token", async () => {
    const seen: { method: string; url: URL; body?: Record<string, unknown>; authorization: string | null }[] = [];
    const known = new Map<string, string>();
    const answer = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    // A router in miniature: APQ as the Go router speaks it.
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      const method = init?.method ?? "GET";
      const body =
        method === "GET"
          ? Object.fromEntries(
              [...url.searchParams].map(([k, v]) => [k, k === "extensions" || k === "variables" ? JSON.parse(v) : v]),
            )
          : (JSON.parse(String(init?.body)) as Record<string, unknown>);
      seen.push({ method, url, body, authorization: new Headers(init?.headers).get("Authorization") });
      const hash = (body.extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash;
      if (typeof body.query === "string") {
        if ((await sha256(body.query)) !== hash) {
          return answer({ errors: [{ message: "provided sha does not match query", extensions: { code: "BAD_USER_INPUT" } }] });
        }
        known.set(hash, body.query);
      } else if (!known.has(hash)) {
        return answer({ errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] });
      }
      return answer({ data: { viewer: { __typename: "Profile", id: "profile-5" } } });
    };
    const { client, dispose } = createCinegraphClient({
      profile: "profile-5",
      getToken: async () => "tok-5",
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: null,
      fetch: fetch as typeof globalThis.fetch,
    });
    const query = gql`
      query Viewer {
        viewer {
          id
        }
      }
    `;
    const first = await client.query({ query, fetchPolicy: "network-only" });
    expect(first.data).toEqual({ viewer: { __typename: "Profile", id: "profile-5" } });
    const second = await client.query({ query, fetchPolicy: "network-only" });
    expect(second.error).toBeUndefined();

    expect(seen.map((r) => [r.method, typeof r.body?.query, r.authorization])).toEqual([
      ["GET", "undefined", "Bearer tok-5"], // the hash alone: not found
      ["POST", "string", "Bearer tok-5"], // the document with its hash registers it
      ["GET", "undefined", "Bearer tok-5"], // from then on the hash suffices
    ]);
    expect(seen[0].url.searchParams.has("query")).toBe(false);
    dispose();
  });

  it("sends the manifest's ids, so a router with the safelist knows the app's operations", async () => {
    const ids = new Set(manifest.operations.map((op) => op.id));
    const hashes: string[] = [];
    const fetch = async (input: RequestInfo | URL) => {
      const ext = new URL(String(input)).searchParams.get("extensions");
      hashes.push((JSON.parse(ext ?? "{}") as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash);
      return new Response(JSON.stringify({ data: { viewer: { __typename: "Profile", id: "profile-6" } } }), {
        headers: { "content-type": "application/json" },
      });
    };
    const { client, dispose } = createCinegraphClient({
      profile: "profile-6",
      getToken: async () => "tok-6",
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: null,
      fetch: fetch as typeof globalThis.fetch,
    });
    await client.query({ query: ViewerDocument });
    expect(hashes).toHaveLength(1);
    expect(ids.has(hashes[0])).toBe(true);
    dispose();
  });

  it("hashes as the router does", async () => {
    // persisted.Hash("{ count }") in router/persisted.
    expect(await sha256("{ count }")).toBe("083a576f8f3f8836b17447b0f690abd8a7e340f71c16878ffd558fc55de8dae4");
  });
});

/**
 * A graphql-transport-ws server in miniature behind a WebSocket class: it
 * acknowledges connection_init, or closes with 4403 when `refuse` says the
 * payload's token is no good.
 */
function fakeSockets(refuse: (payload: unknown) => boolean = () => false) {
  const sockets: FakeSocket[] = [];
  class FakeSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    readyState = 0;
    sent: unknown[] = [];
    onopen: (() => void) | null = null;
    onclose: ((e: { code: number; reason: string }) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    onmessage: ((e: { data: string }) => void) | null = null;
    constructor(
      public url: string,
      public protocol: string,
    ) {
      sockets.push(this);
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.();
      }, 0);
    }
    send(data: string) {
      const message = JSON.parse(data) as { type: string; payload?: unknown };
      this.sent.push(message);
      if (message.type === "connection_init") {
        setTimeout(() => {
          if (refuse(message.payload)) this.close(4403, "Forbidden");
          else this.onmessage?.({ data: JSON.stringify({ type: "connection_ack" }) });
        }, 0);
      }
    }
    close(code = 1000, reason = "") {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
  }
  return { sockets, FakeSocket };
}

describe("createCinegraphClient websocket", () => {
  it("sends subscriptions over graphql-transport-ws with the bearer token in connection_init", async () => {
    const { sockets, FakeSocket } = fakeSockets();
    const { client, socket, dispose } = createCinegraphClient({
      profile: "profile-4",
      getToken: async () => "tok-4",
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: "ws://127.0.0.1/graphql",
      webSocketImpl: FakeSocket,
    });
    expect(socket.get()).toBe("idle");
    const sub = client.subscribe({ query: MessageAddedDocument, variables: { roomId: "room-1" } }).subscribe({});

    await vi.waitFor(() => expect(sockets[0]?.sent).toHaveLength(2));
    expect(sockets[0].url).toBe("ws://127.0.0.1/graphql");
    expect(sockets[0].protocol).toBe("graphql-transport-ws");
    expect(sockets[0].sent[0]).toEqual({ type: "connection_init", payload: { Authorization: "Bearer tok-4" } });
    expect(sockets[0].sent[1]).toMatchObject({
      type: "subscribe",
      payload: { operationName: "MessageAdded", variables: { roomId: "room-1" } },
    });
    expect(socket.get()).toBe("connected");
    sub.unsubscribe();
    dispose();
  });

  it("drops a token the router refuses with 4403", async () => {
    const { sockets, FakeSocket } = fakeSockets((payload) => (payload as { Authorization?: string }).Authorization === "Bearer stale");
    let dropped = 0;
    const { client, socket, dispose } = createCinegraphClient({
      profile: "profile-4",
      getToken: async () => "stale",
      dropToken: () => dropped++,
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: "ws://127.0.0.1/graphql",
      webSocketImpl: FakeSocket,
    });
    const sub = client.subscribe({ query: MessageAddedDocument, variables: { roomId: "room-1" } }).subscribe({});
    await vi.waitFor(() => expect(dropped).toBe(1));
    expect(sockets[0].sent).toEqual([{ type: "connection_init", payload: { Authorization: "Bearer stale" } }]);
    expect(socket.get()).toBe("closed");
    sub.unsubscribe();
    dispose();
  });
});

describe("defaultWsUrl", () => {
  it.each([
    [{ protocol: "http:", host: "127.0.0.1:4000" }, "ws://127.0.0.1:4000/graphql"],
    [{ protocol: "https:", host: "cinegraph.example" }, "wss://cinegraph.example/graphql"],
  ])("%o -> %s", (location, want) => {
    expect(defaultWsUrl(location)).toBe(want);
  });
});
