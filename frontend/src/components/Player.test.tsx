import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ContinueWatchingDocument, ReportProgressDocument, StartPlaybackDocument } from "../gql/graphql";
import { poster, renderWithApollo } from "../test/render";
import { Player } from "./Player";

const video = { id: "v1", name: "The Feature", durationSeconds: 600 };

describe("Player", () => {
  it("starts a session, resumes its position and reports progress", async () => {
    const reported: number[] = [];
    const mocks = [
      {
        request: { query: StartPlaybackDocument, variables: { videoId: "v1" } },
        result: {
          data: {
            startPlayback: {
              __typename: "PlaybackSession",
              id: "s1",
              positionSeconds: 120,
              updatedAt: "2026-01-01T00:00:00Z",
              video: { __typename: "Video", id: "v1", durationSeconds: 600 },
            },
          },
        },
      },
      {
        request: {
          query: ReportProgressDocument,
          variables: (v: { sessionId: string; positionSeconds: number }) => v.sessionId === "s1",
        },
        maxUsageCount: Number.POSITIVE_INFINITY,
        result: (v: { sessionId: string; positionSeconds: number }) => {
          reported.push(v.positionSeconds);
          return {
            data: {
              reportProgress: {
                __typename: "PlaybackSession",
                id: "s1",
                positionSeconds: v.positionSeconds,
                updatedAt: "2026-01-01T00:01:00Z",
              },
            },
          };
        },
      },
    ];
    const { unmount } = renderWithApollo(<Player video={video} tickMs={10} secondsPerTick={10} reportEveryTicks={3} />, {
      mocks,
    });
    expect(screen.getByTestId("player-clock")).toHaveTextContent("0:00 / 10:00");

    await userEvent.click(screen.getByRole("button", { name: "Play" }));

    // Resumed at 2:00, then every third tick reports 30 s further on.
    await waitFor(() => expect(reported.length).toBeGreaterThanOrEqual(2));
    expect(reported[0]).toBe(150);
    expect(reported[1]).toBe(180);

    await userEvent.click(screen.getByRole("button", { name: "Pause" }));
    const pausedAt = Number(screen.getByRole("slider", { name: "Playback position" }).getAttribute("value"));
    await waitFor(() => expect(reported[reported.length - 1]).toBe(pausedAt));
    expect(screen.getByRole("button", { name: "Resume" })).toBeInTheDocument();
    unmount();
  });

  it("starts by itself when opened from a Play button", async () => {
    let starts = 0;
    const mocks = [
      {
        request: { query: StartPlaybackDocument, variables: { videoId: "v1" } },
        maxUsageCount: 5,
        result: () => {
          starts += 1;
          return {
            data: {
              startPlayback: {
                __typename: "PlaybackSession",
                id: "s2",
                positionSeconds: 0,
                updatedAt: "2026-01-01T00:00:00Z",
                video: { __typename: "Video", id: "v1", durationSeconds: 600 },
              },
            },
          };
        },
      },
    ];
    renderWithApollo(<Player video={video} autoStart tickMs={60_000} />, { mocks });
    expect(await screen.findByRole("button", { name: "Pause" })).toBeInTheDocument();
    expect(starts).toBe(1);
  });

  it("shows why playback could not start", async () => {
    const mocks = [
      {
        request: { query: StartPlaybackDocument, variables: { videoId: "v1" } },
        result: { data: null, errors: [{ message: "video v1", extensions: { code: "NOT_FOUND" } }] },
      },
    ];
    renderWithApollo(<Player video={video} />, { mocks });
    await userEvent.click(screen.getByRole("button", { name: "Play" }));
    expect(await screen.findByText("We couldn't find that.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Play" })).toBeEnabled();
  });

  it("moves the cached continue-watching row on from its reportProgress answers, with no refetch", async () => {
    const mocks = [
      {
        request: { query: StartPlaybackDocument, variables: { videoId: "v1" } },
        result: {
          data: {
            startPlayback: {
              __typename: "PlaybackSession",
              id: "s3",
              positionSeconds: 60,
              updatedAt: "2026-01-01T00:00:00Z",
              video: { __typename: "Video", id: "v1", durationSeconds: 600 },
            },
          },
        },
      },
      {
        request: { query: ReportProgressDocument, variables: () => true },
        maxUsageCount: Number.POSITIVE_INFINITY,
        result: (v: { sessionId: string; positionSeconds: number }) => ({
          data: {
            reportProgress: {
              __typename: "PlaybackSession",
              id: v.sessionId,
              positionSeconds: v.positionSeconds,
              updatedAt: "2026-01-01T00:01:00Z",
            },
          },
        }),
      },
    ];
    const { cache } = renderWithApollo(
      <Player video={video} title={poster("t1", "The Film")} tickMs={10} secondsPerTick={30} reportEveryTicks={1} />,
      { mocks },
    );
    // The home row, as the home screen left it in the cache: another video only.
    cache.writeQuery({
      query: ContinueWatchingDocument,
      data: {
        viewer: {
          __typename: "Profile",
          id: "profile-1",
          continueWatching: [
            {
              __typename: "ViewingActivity",
              positionSeconds: 100,
              progress: 0.1,
              video: { __typename: "Video", id: "v9", name: "Other", title: poster("t9", "Other Film") },
            },
          ],
        },
      },
    });
    const row = () => cache.readQuery({ query: ContinueWatchingDocument })!.viewer!.continueWatching!;

    await userEvent.click(screen.getByRole("button", { name: "Play" }));
    await waitFor(() => expect(row()[0].video.id).toBe("v1"));
    expect(row()[0].video.title.name).toBe("The Film");
    expect(row()[0].progress).toBeCloseTo(row()[0].positionSeconds / 600);
    expect(row().map((r) => r.video.id)).toEqual(["v1", "v9"]);

    // Played to the end (past 95 %), it leaves the row.
    await waitFor(() => expect(row().map((r) => r.video.id)).toEqual(["v9"]));
  });
});
