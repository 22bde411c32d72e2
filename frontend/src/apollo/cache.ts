import { InMemoryCache } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";
import { newestFirstPagination } from "./newestFirstPagination";

/** Builds the normalized cache with the app's pagination type policies. */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          titles: relayStylePagination(["filter"]),
          search: relayStylePagination(["query", "filter"]),
          // Queries of other subgraphs' parts of a title (its sentiment)
          // answer `title: null` when catalog fails; that must not replace
          // a title already read.
          title: {
            merge(existing, incoming) {
              return incoming ?? existing ?? null;
            },
          },
        },
      },
      Genre: { keyFields: ["slug"] },
      Profile: {
        fields: {
          // The server returns the whole list after every change: replace it.
          myList: { merge: false },
          // Rewritten whole from reportProgress answers (live/continueWatching.ts).
          continueWatching: { merge: false },
        },
      },
      ChatRoom: {
        fields: {
          messages: newestFirstPagination(),
        },
      },
      // Connection wrappers and value objects carry no identity of their own.
      Artwork: { keyFields: false },
      AudienceSentiment: { keyFields: false },
      Sentiment: { keyFields: false },
      SearchFacets: { keyFields: false },
      ViewingActivity: { keyFields: false },
      Recommendation: { keyFields: false },
      // Rendition ids may repeat across videos (same ladder), so keep them nested.
      Rendition: { keyFields: false },
    },
  });
}
