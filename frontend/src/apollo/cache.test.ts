import { describe, expect, it } from "vitest";
import { TitleSentimentDocument } from "../gql/graphql";
import { createCache } from "./cache";

describe("createCache", () => {
  it("keeps a cached title when a side query answers title: null (catalog down)", () => {
    const cache = createCache();
    const sentiment = {
      __typename: "AudienceSentiment" as const,
      messageCount: 2,
      positive: 1,
      neutral: 1,
      negative: 0,
      averageScore: 0.2,
      label: "POSITIVE" as const,
    };
    cache.writeQuery({
      query: TitleSentimentDocument,
      variables: { id: "t1" },
      data: { title: { __typename: "Title", id: "t1", audienceSentiment: sentiment } },
    });
    cache.writeQuery({ query: TitleSentimentDocument, variables: { id: "t1" }, data: { title: null } });
    expect(cache.readQuery({ query: TitleSentimentDocument, variables: { id: "t1" } })?.title?.audienceSentiment).toEqual(sentiment);

    // A title never read stays null.
    cache.writeQuery({ query: TitleSentimentDocument, variables: { id: "nope" }, data: { title: null } });
    expect(cache.readQuery({ query: TitleSentimentDocument, variables: { id: "nope" } })).toEqual({ title: null });
  });
});
