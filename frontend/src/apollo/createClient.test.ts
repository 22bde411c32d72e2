import { gql } from "@apollo/client";
import { describe, expect, it } from "vitest";
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

describe("defaultWsUrl", () => {
  it.each([
    [{ protocol: "http:", host: "127.0.0.1:4000" }, "ws://127.0.0.1:4000/graphql"],
    [{ protocol: "https:", host: "cinegraph.example" }, "wss://cinegraph.example/graphql"],
  ])("%o -> %s", (location, want) => {
    expect(defaultWsUrl(location)).toBe(want);
  });
});
