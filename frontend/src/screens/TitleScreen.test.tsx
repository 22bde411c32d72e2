import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  ChatMessagesDocument,
  TitlePageDocument,
  TitleSentimentDocument,
  TitleVideosDocument,
  ViewerDocument,
} from "../gql/graphql";
import { pageInfo, poster, renderWithApollo } from "../test/render";
import { TitleScreen } from "./TitleScreen";

const video = {
  __typename: "Video",
  id: "v1",
  name: "The Feature",
  kind: "FEATURE",
  durationSeconds: 5400,
  renditions: [{ __typename: "Rendition", id: "r1", resolution: "1920x1080", bitrateKbps: 6000, codec: "H264" }],
};

const title = {
  ...poster("t1", "Star Voyage", 1999),
  synopsis: "A crew crosses the galaxy.",
  maturityRating: "PG_13",
  runtimeMinutes: 90,
  genres: [{ __typename: "Genre", slug: "sci-fi", name: "Science Fiction" }],
  artwork: { __typename: "Artwork", posterUrl: "/p.jpg", backdropUrl: "/b.jpg" },
  cast: [
    {
      __typename: "Credit",
      role: "ACTOR",
      character: "Captain",
      person: { __typename: "Person", id: "p1", name: "Ada Lovelace" },
    },
  ],
  seasons: [],
  chatRoom: { __typename: "ChatRoom", id: "room-t1", messageCount: 0 },
};

const viewer = {
  request: { query: ViewerDocument },
  result: {
    data: { viewer: { __typename: "Profile", id: "profile-1", name: "Ada", avatarUrl: "/a.png", myList: [] } },
  },
};

const chat = {
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
};

describe("TitleScreen", () => {
  it("renders partial data and explains the failed field by its code", async () => {
    const mocks = [
      { request: { query: TitlePageDocument, variables: { id: "t1" } }, result: { data: { title } } },
      {
        request: { query: TitleVideosDocument, variables: { id: "t1" } },
        result: { data: { title: { __typename: "Title", id: "t1", videos: [video] } } },
      },
      {
        // audienceSentiment is nullable, so its failure nulls only that field.
        request: { query: TitleSentimentDocument, variables: { id: "t1" } },
        result: {
          data: { title: { __typename: "Title", id: "t1", audienceSentiment: null } },
          errors: [
            {
              message: "insights subgraph timed out",
              path: ["title", "audienceSentiment"],
              extensions: { code: "UNAVAILABLE" },
            },
          ],
        },
      },
      viewer,
      chat,
    ];
    const { container } = renderWithApollo(<TitleScreen id="t1" />, { mocks });

    expect(await screen.findByRole("heading", { name: "Star Voyage" })).toBeInTheDocument();
    // The backdrop is an image behind the heading, decorative.
    expect(container.querySelector('img[src="/b.jpg"]')).toHaveAttribute("alt", "");
    expect(screen.getByText("Ada Lovelace as Captain")).toBeInTheDocument();
    expect(await screen.findByText("1920x1080 · H264 · 6.0 Mbps")).toBeInTheDocument();
    expect(await screen.findByText(/temporarily unavailable/)).toBeInTheDocument();
    expect(screen.getByText(/title\.audienceSentiment/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Audience sentiment")).not.toBeInTheDocument();
    expect(await screen.findByText(/No messages yet/)).toBeInTheDocument();
  });

  it("shows a not-found message", async () => {
    const mocks = [
      {
        request: { query: TitlePageDocument, variables: { id: "nope" } },
        result: {
          data: { title: null },
          errors: [{ message: "title nope not found", path: ["title"], extensions: { code: "NOT_FOUND" } }],
        },
      },
      { request: { query: TitleVideosDocument, variables: { id: "nope" } }, result: { data: { title: null } } },
      { request: { query: TitleSentimentDocument, variables: { id: "nope" } }, result: { data: { title: null } } },
    ];
    renderWithApollo(<TitleScreen id="nope" />, { mocks });
    expect(await screen.findByText("We couldn't find that.")).toBeInTheDocument();
  });
});
