// @vitest-environment node
// The messageAdded subscription over a real websocket against a running
// server. Opt-in: CINEGRAPH_E2E_URL, plus a global WebSocket (Node 22+, or
// Node 20 with NODE_OPTIONS=--experimental-websocket).
import { describe, expect, it } from "vitest";
import { createCinegraphClient } from "../apollo/createClient";
import { BrowseDocument, MessageAddedDocument, PostMessageDocument, TitlePageDocument } from "../gql/graphql";

const base = process.env.CINEGRAPH_E2E_URL;

describe.skipIf(!base)("live subscription", () => {
  it("delivers messageAdded over graphql-transport-ws", async () => {
    expect(typeof globalThis.WebSocket, "a global WebSocket (see the file comment)").toBe("function");
    const url = new URL("/graphql", base);
    const { client: c, socket, dispose } = createCinegraphClient({
      profile: "profile-3",
      httpUrl: url.toString(),
      wsUrl: `${url.protocol === "https:" ? "wss" : "ws"}://${url.host}/graphql`,
      fetch: globalThis.fetch,
    });
    try {
      const browse = await c.query({ query: BrowseDocument, variables: { first: 1 } });
      const page = await c.query({ query: TitlePageDocument, variables: { id: browse.data!.titles.edges[0].node.id } });
      const roomId = page.data!.title!.chatRoom!.id;
      const body = `live hello ${Date.now()}`;
      const received = new Promise<{ body: string; label: string }>((resolve, reject) => {
        const sub = c.subscribe({ query: MessageAddedDocument, variables: { roomId } }).subscribe({
          next: (r) => {
            if (r.error) reject(r.error);
            const m = r.data?.messageAdded;
            if (m?.body === body) {
              sub.unsubscribe();
              resolve({ body: m.body, label: m.sentiment!.label });
            }
          },
          error: reject,
        });
        setTimeout(() => reject(new Error("no messageAdded within 10 s")), 10_000);
      });
      // Post once the socket is acknowledged and the subscription had a moment to start.
      const started = Date.now();
      while (socket.get() !== "connected" && Date.now() - started < 5000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(socket.get()).toBe("connected");
      await new Promise((r) => setTimeout(r, 500));
      await c.mutate({ mutation: PostMessageDocument, variables: { roomId, body } });
      const got = await received;
      expect(got.body).toBe(body);
      expect(["POSITIVE", "NEUTRAL", "NEGATIVE"]).toContain(got.label);
    } finally {
      dispose();
    }
  });
});
