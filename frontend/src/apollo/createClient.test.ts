import { gql } from "@apollo/client";
import { MessageAddedDocument } from "../gql/graphql";
import { describe, expect, it, vi } from "vitest";
import { createCinegraphClient } from "./createClient";
import { defaultWsUrl } from "./endpoints";

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
