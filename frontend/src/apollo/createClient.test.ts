import { gql } from "@apollo/client";
import { MessageAddedDocument, ViewerDocument } from "../gql/graphql";
import manifest from "../../persisted-query-manifest.json";
import { describe, expect, it, vi } from "vitest";
import { createCinegraphClient } from "./createClient";
import { defaultWsUrl } from "./endpoints";
import { sha256 } from "./persistedQueries";

describe("createCinegraphClient", () => {
  it("sends the profile header on HTTP requests", async () => {
    const seen: Headers[] = [];
    const fetch = async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers));
      return new Response(JSON.stringify({ data: { viewer: { __typename: "Profile", id: "profile-3" } } }), {
        headers: { "content-type": "application/json" },
      });
    };
    const { client, dispose } = createCinegraphClient({
      profile: "profile-3",
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: null,
      fetch: fetch as typeof globalThis.fetch,
    });
    const result = await client.query({ query: gql`query { viewer { id } }` });
    expect(result.data).toEqual({ viewer: { __typename: "Profile", id: "profile-3" } });
    expect(seen).toHaveLength(1);
    expect(seen[0].get("X-Cinegraph-Profile")).toBe("profile-3");
    dispose();
  });
});

describe("createCinegraphClient persisted queries", () => {
  it("sends a query's hash alone by GET, and the document only when the router asks", async () => {
    const seen: { method: string; url: URL; body?: Record<string, unknown> }[] = [];
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
      seen.push({ method, url, body });
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

    expect(seen.map((r) => [r.method, typeof r.body?.query])).toEqual([
      ["GET", "undefined"], // the hash alone: not found
      ["POST", "string"], // the document with its hash registers it
      ["GET", "undefined"], // from then on the hash suffices
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

describe("createCinegraphClient websocket", () => {
  it("sends subscriptions over graphql-transport-ws with the profile in connection_init", async () => {
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
        const message = JSON.parse(data) as { type: string };
        this.sent.push(message);
        if (message.type === "connection_init") {
          setTimeout(() => this.onmessage?.({ data: JSON.stringify({ type: "connection_ack" }) }), 0);
        }
      }
      close(code = 1000, reason = "") {
        this.readyState = 3;
        this.onclose?.({ code, reason });
      }
    }

    const { client, socket, dispose } = createCinegraphClient({
      profile: "profile-4",
      httpUrl: "http://127.0.0.1/graphql",
      wsUrl: "ws://127.0.0.1/graphql",
      webSocketImpl: FakeSocket,
    });
    expect(socket.get()).toBe("idle");
    const sub = client.subscribe({ query: MessageAddedDocument, variables: { roomId: "room-1" } }).subscribe({});

    await vi.waitFor(() => expect(sockets[0]?.sent).toHaveLength(2));
    expect(sockets[0].url).toBe("ws://127.0.0.1/graphql");
    expect(sockets[0].protocol).toBe("graphql-transport-ws");
    expect(sockets[0].sent[0]).toEqual({ type: "connection_init", payload: { profile: "profile-4" } });
    expect(sockets[0].sent[1]).toMatchObject({
      type: "subscribe",
      payload: { operationName: "MessageAdded", variables: { roomId: "room-1" } },
    });
    expect(socket.get()).toBe("connected");
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
