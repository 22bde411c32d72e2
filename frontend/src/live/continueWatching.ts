import type { ApolloCache } from "@apollo/client";
import { ContinueWatchingDocument, type ContinueWatchingQuery, type PosterFieldsFragment } from "../gql/graphql";

/** The share of a video past which it counts as watched (as the video subgraph counts it). */
export const COMPLETED_SHARE = 0.95;
/** How many entries the home row asks for (ContinueWatching.graphql). */
export const CONTINUE_WATCHING_SIZE = 10;

/** A position in one video, as reportProgress or playbackEvents tell it. */
export interface Progress {
  video: { id: string; name: string };
  positionSeconds: number;
  /** Share watched, 0 to 1. */
  progress: number;
  completed: boolean;
  /** The video's title, to add a video the row does not list yet. */
  title?: PosterFieldsFragment | null;
}

/**
 * The continue-watching row with a new position, as the server would list
 * it: the video first with its position, or out of the row once finished.
 * Undefined when nothing changes.
 */
export function withProgress(prev: ContinueWatchingQuery, p: Progress): ContinueWatchingQuery | undefined {
  const rows = prev.viewer?.continueWatching;
  if (!prev.viewer || !rows) return undefined;
  const existing = rows.find((r) => r.video.id === p.video.id);
  const rest = rows.filter((r) => r.video.id !== p.video.id);
  let next = rest;
  if (!p.completed && p.positionSeconds > 0) {
    const progress = Math.min(1, Math.max(0, p.progress));
    const entry = existing
      ? { ...existing, positionSeconds: p.positionSeconds, progress }
      : p.title
        ? {
            __typename: "ViewingActivity" as const,
            positionSeconds: p.positionSeconds,
            progress,
            video: { __typename: "Video" as const, id: p.video.id, name: p.video.name, title: p.title },
          }
        : null;
    if (entry) next = [entry, ...rest].slice(0, CONTINUE_WATCHING_SIZE);
  }
  const unchanged =
    next.length === rows.length &&
    next.every((r, i) => r.video.id === rows[i].video.id && r.positionSeconds === rows[i].positionSeconds && r.progress === rows[i].progress);
  if (unchanged) return undefined;
  return { ...prev, viewer: { ...prev.viewer, continueWatching: next } };
}

export interface ReportedProgress {
  video: { id: string; name: string; durationSeconds: number };
  /** The position the server recorded (reportProgress's answer). */
  positionSeconds: number;
  title?: PosterFieldsFragment | null;
}

/**
 * Updates the cached continue-watching row from a reportProgress answer.
 * The answer (a PlaybackSession) has no share watched, so it follows from
 * the video's duration, as the video subgraph computes it. No refetch:
 * nothing is asked of the server. Does nothing when the row is not cached
 * (the home screen fetches it when it opens).
 */
export function updateContinueWatching(cache: ApolloCache, { video, positionSeconds, title }: ReportedProgress): void {
  const duration = video.durationSeconds;
  cache.updateQuery({ query: ContinueWatchingDocument }, (prev) =>
    prev
      ? withProgress(prev, {
          video,
          positionSeconds,
          progress: duration > 0 ? positionSeconds / duration : 0,
          completed: duration > 0 && positionSeconds * 100 >= duration * COMPLETED_SHARE * 100,
          title,
        })
      : undefined,
  );
}
