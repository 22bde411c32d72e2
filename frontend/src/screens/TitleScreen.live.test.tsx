import { act, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  ChatMessagesDocument,
  TitlePageDocument,
  TitleSentimentDocument,
  TitleVideosDocument,
  ViewerDocument,
} from "../gql/graphql";
import { pageInfo, poster, renderWithApollo, subscriptionFeed } from "../test/render";
import { TitleScreen } from "./TitleScreen";

const title = {
  ...poster("t1", "Star Voyage", 1999),
  synopsis: "A crew crosses the galaxy.",
  maturityRating: "PG_13",
  runtimeMinutes: 90,
  genres: [],
  artwork: { __typename: "Artwork", posterUrl: "/p.jpg", backdropUrl: "/b.jpg" },
  cast: [],
  seasons: [],
  chatRoom: { __typename: "ChatRoom", id: "room-t1", messageCount: 7 },
};

const sentiment = {
  __typename: "AudienceSentiment",
  messageCount: 7,
  positive: 4,
  neutral: 2,
  negative: 1,
  averageScore: 0.3,
  label: "POSITIVE",
};

const message = {
  __typename: "Message",
  id: "m8",
  body: "what an ending",
  sentAt: "2026-01-01T12:00:00Z",
  author: { __typename: "Profile", id: "profile-2", name: "Grace" },
  sentiment: { __typename: "Sentiment", label: "NEGATIVE", score: -0.5 },
};

const live = { subscriptions: true, socket: { get: () => "connected" as const, subscribe: () => () => {} } };

function mocks() {
  return [
    { request: { query: TitlePageDocument, variables: { id: "t1" } }, result: { data: { title } } },
    {
      request: { query: TitleVideosDocument, variables: { id: "t1" } },
      result: { data: { title: { __typename: "Title", id: "t1", videos: [] } } },
    },
    {
      request: { query: TitleSentimentDocument, variables: { id: "t1" } },
      result: { data: { title: { __typename: "Title", id: "t1", audienceSentiment: sentiment } } },
    },
    {
      request: { query: ViewerDocument },
      result: { data: { viewer: { __typename: "Profile", id: "profile-1", name: "Ada", avatarUrl: "/a.png", myList: [] } } },
    },
    {
      request: { query: ChatMessagesDocument, variables: { roomId: "room-t1", first: 20 } },
      result: {
        data: {
          chatRoom: {
            __typename: "ChatRoom",
            id: "room-t1",
            messages: { __typename: "MessageConnection", edges: [], pageInfo: pageInfo(false, null) },
          },
        },
      },
    },
  ];
}

describe("TitleScreen live updates", () => {
  it("moves the sentiment card and the message count on from the subscriptions", async () => {
    const feed = subscriptionFeed();
    renderWithApollo(<TitleScreen id="t1" />, { mocks: mocks(), live, feed });

    const card = await screen.findByLabelText("Audience sentiment");
    expect(card).toHaveTextContent("4 positive · 2 neutral · 1 negative, from 7 messages");
    expect(card).toHaveTextContent("Positive +0.30");
    expect(await screen.findByTestId("chat-message-count")).toHaveTextContent("7 messages");
    await waitFor(() => expect(feed.open("InsightAdded")).toBe(1));
    await waitFor(() => expect(feed.open("MessageAdded")).toBe(1));

    // messageAdded adds the message and counts it in the room.
    act(() => feed.push("MessageAdded", { messageAdded: message }));
    expect(await screen.findByText("what an ending")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("chat-message-count")).toHaveTextContent("8 messages"));
    expect(screen.getByLabelText("Audience sentiment")).toHaveTextContent("from 7 messages");

    // insightAdded folds the message's score into the card.
    const insight = {
      insightAdded: {
        __typename: "Insight",
        message: { __typename: "Message", id: "m8" },
        sentiment: { __typename: "Sentiment", label: "NEGATIVE", score: -0.5 },
      },
    };
    act(() => feed.push("InsightAdded", insight));
    await waitFor(() =>
      expect(screen.getByLabelText("Audience sentiment")).toHaveTextContent(
        "4 positive · 2 neutral · 2 negative, from 8 messages",
      ),
    );
    // (0.3 × 7 − 0.5) / 8 = 0.2
    expect(screen.getByLabelText("Audience sentiment")).toHaveTextContent("Positive +0.20");

    // The same message again (a replay) is not counted twice.
    act(() => feed.push("InsightAdded", insight));
    act(() => feed.push("MessageAdded", { messageAdded: message }));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByLabelText("Audience sentiment")).toHaveTextContent("from 8 messages");
    expect(screen.getByTestId("chat-message-count")).toHaveTextContent("8 messages");
  });

  it("opens no subscription when subscriptions are off", async () => {
    const feed = subscriptionFeed();
    renderWithApollo(<TitleScreen id="t1" />, { mocks: mocks(), feed });
    expect(await screen.findByLabelText("Audience sentiment")).toHaveTextContent("from 7 messages");
    expect(feed.open("InsightAdded")).toBe(0);
  });
});
