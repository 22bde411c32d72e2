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
        },
      },
      Genre: { keyFields: ["slug"] },
      Profile: {
        fields: {
          // The server returns the whole list after every change: replace it.
          myList: { merge: false },
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
