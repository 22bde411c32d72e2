import { describe, expect, it } from "vitest";
import { createCache } from "../apollo/cache";
import { ContinueWatchingDocument, type ContinueWatchingQuery } from "../gql/graphql";
import { poster } from "../test/render";
import { updateContinueWatching } from "./continueWatching";

function activity(id: string, positionSeconds: number, progress: number) {
  return {
    __typename: "ViewingActivity" as const,
    positionSeconds,
    progress,
    video: { __typename: "Video" as const, id, name: `Video ${id}`, title: poster(`t-${id}`, `Title ${id}`) },
  };
}

function seeded() {
  const cache = createCache();
  const data: ContinueWatchingQuery = {
    viewer: { __typename: "Profile", id: "profile-1", continueWatching: [activity("v1", 60, 0.1), activity("v2", 300, 0.5)] },
  };
  cache.writeQuery({ query: ContinueWatchingDocument, data });
  const rows = () => cache.readQuery({ query: ContinueWatchingDocument })!.viewer!.continueWatching!;
  return { cache, rows };
}

describe("updateContinueWatching", () => {
  it("moves a reported video to the front with its new position", () => {
    const { cache, rows } = seeded();
    updateContinueWatching(cache, { video: { id: "v2", name: "Video v2", durationSeconds: 600 }, positionSeconds: 420 });
    expect(rows().map((r) => [r.video.id, r.positionSeconds, r.progress])).toEqual([
      ["v2", 420, 0.7],
      ["v1", 60, 0.1],
    ]);
  });

  it("adds a newly started video with its title, and drops a finished one", () => {
    const { cache, rows } = seeded();
    updateContinueWatching(cache, {
      video: { id: "v3", name: "Video v3", durationSeconds: 1000 },
      positionSeconds: 250,
      title: poster("t-v3", "Title v3"),
    });
    expect(rows().map((r) => r.video.id)).toEqual(["v3", "v1", "v2"]);
    expect(rows()[0].video.title.name).toBe("Title v3");

    // 95 % of 600 s is 570 s: finished.
    updateContinueWatching(cache, { video: { id: "v1", name: "Video v1", durationSeconds: 600 }, positionSeconds: 570 });
    expect(rows().map((r) => r.video.id)).toEqual(["v3", "v2"]);
  });

  it("does nothing when the row is not cached", () => {
    const cache = createCache();
    updateContinueWatching(cache, { video: { id: "v1", name: "V", durationSeconds: 600 }, positionSeconds: 60 });
    expect(cache.readQuery({ query: ContinueWatchingDocument })).toBeNull();
  });
});
