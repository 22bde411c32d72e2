import { describe, expect, it } from "vitest";
import { ChatMessagesDocument, type ChatMessagesQuery } from "../gql/graphql";
import { createCache } from "./cache";

function message(n: number) {
  return {
    __typename: "MessageEdge" as const,
    cursor: `c${n}`,
    node: {
      __typename: "Message" as const,
      id: `m${n}`,
      body: `message ${n}`,
      sentAt: "2026-01-01T00:00:00Z",
      author: { __typename: "Profile" as const, id: "profile-1", name: "Ada" },
      sentiment: { __typename: "Sentiment" as const, label: "NEUTRAL" as const, score: 0 },
    },
  };
}

function page(ns: number[], hasNextPage: boolean): ChatMessagesQuery {
  return {
    chatRoom: {
      __typename: "ChatRoom",
      id: "room-1",
      messages: {
        __typename: "MessageConnection",
        edges: ns.map(message),
        pageInfo: {
          __typename: "PageInfo",
          hasNextPage,
          hasPreviousPage: false,
          startCursor: `c${ns[0]}`,
          endCursor: `c${ns[ns.length - 1]}`,
        },
      },
    },
  };
}

const head = { roomId: "room-1", first: 2 };

function ids(cache: ReturnType<typeof createCache>) {
  const data = cache.readQuery({ query: ChatMessagesDocument, variables: head });
  return {
    ids: data?.chatRoom?.messages.edges.map((e) => e.node.id),
    pageInfo: data?.chatRoom?.messages.pageInfo,
  };
}

describe("newestFirstPagination", () => {
  it("appends older pages, keeps them across head refreshes, and dedupes", () => {
    const cache = createCache();
    cache.writeQuery({ query: ChatMessagesDocument, variables: head, data: page([9, 8], true) });
    cache.writeQuery({
      query: ChatMessagesDocument,
      variables: { ...head, before: "c8" },
      data: page([7, 6], false),
    });
    expect(ids(cache).ids).toEqual(["m9", "m8", "m7", "m6"]);
    expect(ids(cache).pageInfo).toMatchObject({ hasNextPage: false, endCursor: "c6" });

    // A poll returns the newest slice, which now starts with a new message.
    cache.writeQuery({ query: ChatMessagesDocument, variables: head, data: page([10, 9], true) });
    const after = ids(cache);
    expect(after.ids).toEqual(["m10", "m9", "m8", "m7", "m6"]);
    // The loaded tail still decides where "older" continues.
    expect(after.pageInfo).toMatchObject({ hasNextPage: false, endCursor: "c6" });
  });

  it("takes the fresh slice's paging state when nothing older is loaded", () => {
    const cache = createCache();
    cache.writeQuery({ query: ChatMessagesDocument, variables: head, data: page([2, 1], false) });
    cache.writeQuery({ query: ChatMessagesDocument, variables: head, data: page([3, 2], true) });
    // m1 is not in the fresh slice but was loaded, so it stays at the end.
    expect(ids(cache).ids).toEqual(["m3", "m2", "m1"]);
    expect(ids(cache).pageInfo).toMatchObject({ hasNextPage: false, endCursor: "c1" });
  });
});
