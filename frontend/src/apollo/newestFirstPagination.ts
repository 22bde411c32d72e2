import type { FieldPolicy, Reference } from "@apollo/client";

interface Edge {
  cursor: string;
  node: Reference;
}

interface Connection {
  edges: Edge[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/**
 * Field policy for a connection listed newest first and paged backwards with
 * `before` (ChatRoom.messages). relayStylePagination would put a `before` page
 * in front of the list; here older items belong at the end.
 *
 * - A page fetched with `before` is appended after the loaded items.
 * - A page without `before` (first load, polling, a subscription write) is the
 *   newest slice: it goes in front, and already loaded older items are kept.
 *
 * "More older items" is the list's `pageInfo.hasNextPage`, and the cursor for
 * the next older page is its `pageInfo.endCursor`.
 */
export function newestFirstPagination(): FieldPolicy<Connection> {
  return {
    keyArgs: false,
    merge(existing, incoming, { args, readField }) {
      if (!existing) return incoming;
      const nodeId = (edge: Edge) => readField<string>("id", edge.node) ?? edge.cursor;

      if (args?.before) {
        const seen = new Set(existing.edges.map(nodeId));
        return {
          ...existing,
          edges: [...existing.edges, ...incoming.edges.filter((e) => !seen.has(nodeId(e)))],
          pageInfo: {
            ...existing.pageInfo,
            hasNextPage: incoming.pageInfo.hasNextPage,
            endCursor: incoming.pageInfo.endCursor ?? existing.pageInfo.endCursor,
          },
        };
      }

      const fresh = new Set(incoming.edges.map(nodeId));
      const older = existing.edges.filter((e) => !fresh.has(nodeId(e)));
      // The loaded tail reaches further back than the fresh slice: keep its
      // paging state so "older" continues from the oldest loaded item.
      const keepTail = older.length > 0 && incoming.edges.length > 0;
      return {
        ...incoming,
        edges: [...incoming.edges, ...older],
        pageInfo: keepTail
          ? {
              ...incoming.pageInfo,
              hasNextPage: existing.pageInfo.hasNextPage,
              endCursor: existing.pageInfo.endCursor,
            }
          : incoming.pageInfo,
      };
    },
  };
}
