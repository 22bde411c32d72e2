import { gql } from "@apollo/client";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import {
  ChatMessagesDocument,
  MessageAddedDocument,
  type MessageFieldsFragment,
  PostMessageDocument,
  type SentimentLabel,
} from "../gql/graphql";
import { pageInfo, renderWithApollo } from "../test/render";
import { ChatPanel } from "./ChatPanel";

function msg(n: number, body: string, label: SentimentLabel = "NEUTRAL", score = 0) {
  return {
    __typename: "Message" as const,
    id: `m${n}`,
    body,
    sentAt: "2026-01-01T12:00:00Z",
    author: { __typename: "Profile" as const, id: "profile-2", name: "Grace" },
    sentiment: { __typename: "Sentiment" as const, label, score },
  };
}

function page(messages: MessageFieldsFragment[], hasNextPage: boolean) {
  return {
    data: {
      chatRoom: {
        __typename: "ChatRoom",
        id: "room-1",
        messages: {
          __typename: "MessageConnection",
          edges: messages.map((node) => ({ __typename: "MessageEdge", cursor: `c-${node.id}`, node })),
          pageInfo: pageInfo(hasNextPage, messages.length ? `c-${messages[messages.length - 1].id}` : null),
        },
      },
    },
  };
}

const head = { roomId: "room-1", first: 20 };

function messageBodies() {
  return within(screen.getByRole("list", { name: "Messages" }))
    .getAllByRole("listitem")
    .map((li) => li.querySelector("p")?.textContent);
}

describe("ChatPanel", () => {
  it("lists messages newest first with sentiment chips and pages older ones", async () => {
    const mocks = [
      {
        request: { query: ChatMessagesDocument, variables: head },
        result: page([msg(3, "loved it", "POSITIVE", 0.9), msg(2, "meh", "NEGATIVE", -0.4)], true),
      },
      {
        request: { query: ChatMessagesDocument, variables: { ...head, before: "c-m2" } },
        result: page([msg(1, "first!")], false),
      },
    ];
    renderWithApollo(<ChatPanel roomId="room-1" />, { mocks });

    expect(await screen.findByText("loved it")).toBeInTheDocument();
    expect(screen.getByText("Positive +0.90").closest("[data-sentiment]")).toHaveAttribute("data-sentiment", "POSITIVE");
    expect(screen.getByText("Negative -0.40")).toBeInTheDocument();
    expect(messageBodies()).toEqual(["loved it", "meh"]);

    await userEvent.click(screen.getByRole("button", { name: "Older messages" }));
    expect(await screen.findByText("first!")).toBeInTheDocument();
    expect(messageBodies()).toEqual(["loved it", "meh", "first!"]);
    expect(screen.queryByRole("button", { name: "Older messages" })).not.toBeInTheDocument();
  });

  it("shows a message whose author and sentiment failed to load", async () => {
    // Catalog and insights are down: author and sentiment are nullable, so the
    // message itself still arrives.
    const orphan = { ...msg(1, "still here"), author: null, sentiment: null };
    const mocks = [{ request: { query: ChatMessagesDocument, variables: head }, result: page([orphan], false) }];
    renderWithApollo(<ChatPanel roomId="room-1" />, { mocks });

    expect(await screen.findByText("still here")).toBeInTheDocument();
    expect(screen.getByText("Unknown viewer")).toBeInTheDocument();
    expect(screen.queryByText(/Neutral/)).not.toBeInTheDocument();
  });

  it("posts a message and shows it at the top", async () => {
    const mocks = [
      { request: { query: ChatMessagesDocument, variables: head }, result: page([msg(1, "hello")], false) },
      {
        request: { query: PostMessageDocument, variables: { roomId: "room-1", body: "what a twist" } },
        result: { data: { postMessage: msg(2, "what a twist", "POSITIVE", 0.6) } },
      },
    ];
    renderWithApollo(<ChatPanel roomId="room-1" />, { mocks });
    await screen.findByText("hello");

    await userEvent.type(screen.getByRole("textbox", { name: "Message" }), "  what a twist ");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));

    expect(await screen.findByText("what a twist")).toBeInTheDocument();
    expect(messageBodies()).toEqual(["what a twist", "hello"]);
    expect(screen.getByRole("textbox", { name: "Message" })).toHaveValue("");
  });

  it("counts a posted message once in the room's cached messageCount", async () => {
    const mocks = [
      { request: { query: ChatMessagesDocument, variables: head }, result: page([msg(1, "hello")], false) },
      {
        request: { query: PostMessageDocument, variables: { roomId: "room-1", body: "again" } },
        result: { data: { postMessage: msg(2, "again") } },
        maxUsageCount: 2,
      },
    ];
    const { cache } = renderWithApollo(<ChatPanel roomId="room-1" messageCount={1} />, { mocks });
    await screen.findByText("hello");
    // The title page's query left the room's count in the cache.
    cache.writeFragment({
      id: cache.identify({ __typename: "ChatRoom", id: "room-1" }),
      fragment: gql`
        fragment RoomCount on ChatRoom {
          messageCount
        }
      `,
      data: { __typename: "ChatRoom", messageCount: 1 },
    });
    expect(screen.getByTestId("chat-message-count")).toHaveTextContent("1 message");
    const count = () => cache.extract()["ChatRoom:room-1"]?.messageCount;

    const send = async () => {
      await userEvent.type(screen.getByRole("textbox", { name: "Message" }), "again");
      await userEvent.click(screen.getByRole("button", { name: "Send" }));
      await waitFor(() => expect(screen.getByRole("textbox", { name: "Message" })).toHaveValue(""));
    };
    await send();
    expect(count()).toBe(2);
    // The same message again (the server answered with one already listed): not counted twice.
    await send();
    expect(count()).toBe(2);
  });

  it("adds messages from the messageAdded subscription when the socket is live", async () => {
    const mocks = [
      { request: { query: ChatMessagesDocument, variables: head }, result: page([msg(1, "hello")], false) },
      {
        request: { query: MessageAddedDocument, variables: { roomId: "room-1" } },
        result: { data: { messageAdded: msg(5, "live one", "POSITIVE", 0.7) } },
        delay: 20,
      },
    ];
    renderWithApollo(<ChatPanel roomId="room-1" />, {
      mocks,
      live: { subscriptions: true, socket: { get: () => "connected", subscribe: () => () => {} } },
    });
    expect(await screen.findByText("hello")).toBeInTheDocument();
    expect(await screen.findByText("live one")).toBeInTheDocument();
    expect(messageBodies()).toEqual(["live one", "hello"]);
    expect(screen.getByText("Live")).toBeInTheDocument();
  });

  it("polls when the socket is down", async () => {
    const mocks = [
      { request: { query: ChatMessagesDocument, variables: head }, result: page([msg(1, "hello")], false) },
      { request: { query: MessageAddedDocument, variables: { roomId: "room-1" } }, error: new Error("socket closed") },
      { request: { query: ChatMessagesDocument, variables: head }, result: page([msg(2, "polled"), msg(1, "hello")], false) },
    ];
    renderWithApollo(<ChatPanel roomId="room-1" />, {
      mocks,
      live: { subscriptions: true, pollIntervalMs: 50, socket: { get: () => "closed", subscribe: () => () => {} } },
    });
    expect(await screen.findByText("hello")).toBeInTheDocument();
    expect(screen.getByText("Refreshing every 0s")).toBeInTheDocument();
    await waitFor(() => expect(messageBodies()).toEqual(["polled", "hello"]));
  });
});
