import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ContinueWatchingDocument, RecommendationsDocument, ViewerDocument } from "../gql/graphql";
import { poster, renderWithApollo, subscriptionFeed } from "../test/render";
import { HomeScreen } from "./HomeScreen";

const activity = (id: string, name: string, progress: number) => ({
  __typename: "ViewingActivity",
  positionSeconds: Math.round(progress * 1000),
  progress,
  video: { __typename: "Video", id, name, title: poster(`t-${id}`, `Title of ${name}`) },
});

const mocks = [
  {
    request: { query: ViewerDocument },
    result: { data: { viewer: { __typename: "Profile", id: "profile-1", name: "Ada", avatarUrl: "/a.png", myList: [] } } },
  },
  {
    request: { query: ContinueWatchingDocument },
    result: {
      data: {
        viewer: {
          __typename: "Profile",
          id: "profile-1",
          continueWatching: [activity("v1", "Pilot", 0.25), activity("v2", "Finale", 0.5)],
        },
      },
    },
  },
  {
    request: { query: RecommendationsDocument },
    result: { data: { viewer: { __typename: "Profile", id: "profile-1", recommendations: [] } } },
  },
];

const event = (profile: string, video: { id: string; name: string }, progress: number, completed = false) => ({
  playbackEvents: {
    __typename: "PlaybackEvent",
    positionSeconds: Math.round(progress * 1000),
    progress,
    completed,
    profile: { __typename: "Profile", id: profile },
    video: { __typename: "Video", ...video, title: poster(`t-${video.id}`, `Title of ${video.name}`) },
  },
});

const live = { subscriptions: true, socket: { get: () => "connected" as const, subscribe: () => () => {} } };

function row() {
  const section = screen.getByRole("region", { name: "Continue watching" });
  return within(section)
    .getAllByRole("progressbar")
    .map((bar) => `${bar.getAttribute("aria-label")} ${bar.getAttribute("aria-valuenow")}`);
}

describe("HomeScreen live continue-watching", () => {
  it("moves the row on from the viewer's own playback events only", async () => {
    const feed = subscriptionFeed();
    renderWithApollo(<HomeScreen />, { mocks, live, feed });
    await screen.findByRole("progressbar", { name: "Pilot progress" });
    expect(row()).toEqual(["Pilot progress 25", "Finale progress 50"]);
    await waitFor(() => expect(feed.open("PlaybackEvents")).toBe(1));

    // Another viewer's progress is not ours.
    act(() => feed.push("PlaybackEvents", event("profile-2", { id: "v1", name: "Pilot" }, 0.9)));
    // Ours: the video moves to the front with its new position…
    act(() => feed.push("PlaybackEvents", event("profile-1", { id: "v2", name: "Finale" }, 0.75)));
    await waitFor(() => expect(row()).toEqual(["Finale progress 75", "Pilot progress 25"]));

    // …a new one joins the row…
    act(() => feed.push("PlaybackEvents", event("profile-1", { id: "v3", name: "Special" }, 0.1)));
    await waitFor(() => expect(row()).toEqual(["Special progress 10", "Finale progress 75", "Pilot progress 25"]));
    expect(screen.getByText("Title of Special")).toBeInTheDocument();

    // …and a finished one leaves it.
    act(() => feed.push("PlaybackEvents", event("profile-1", { id: "v1", name: "Pilot" }, 0.97, true)));
    await waitFor(() => expect(row()).toEqual(["Special progress 10", "Finale progress 75"]));
  });
});
