// End-to-end checks of the app's operations against a running Cinegraph
// server. Opt-in: set CINEGRAPH_E2E_URL (e.g. http://127.0.0.1:4000) to run
// them; the plain `npm test` has no server and skips this file. Each client
// signs in as its profile with a demo token from the server's
// /auth/demo-token, as the app does.
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { describe, expect, it, vi } from "vitest";
import { createCinegraphClient } from "../apollo/createClient";
import {
  AddToMyListDocument,
  BrowseDocument,
  ChatMessagesDocument,
  GenresDocument,
  ContinueWatchingDocument,
  RecommendationsDocument,
  TitleSentimentDocument,
  TitleVideosDocument,
  PostMessageDocument,
  RemoveFromMyListDocument,
  ReportProgressDocument,
  SearchDocument,
  StartPlaybackDocument,
  TitlePageDocument,
  ViewerDocument,
} from "../gql/graphql";

const base = process.env.CINEGRAPH_E2E_URL;

function client(profile: string, getToken?: () => Promise<string>) {
  const url = new URL("/graphql", base);
  const wsUrl = `${url.protocol === "https:" ? "wss" : "ws"}://${url.host}/graphql`;
  return createCinegraphClient({ profile, getToken, httpUrl: url.toString(), wsUrl, fetch: globalThis.fetch });
}

describe.skipIf(!base)("live server", () => {
  it("home, browse paging, genres filter, search and the title page", async () => {
    const { client: c, dispose } = client("profile-1");
    try {
      const home = await c.query({ query: ViewerDocument, fetchPolicy: "network-only" });
      expect(home.error).toBeUndefined();
      expect(home.data?.viewer?.id).toBe("profile-1");
      expect(home.data?.viewer?.name).not.toBe("");
      for (const query of [ContinueWatchingDocument, RecommendationsDocument]) {
        const row = await c.query({ query, fetchPolicy: "network-only" });
        expect(row.error).toBeUndefined();
        expect(row.data?.viewer?.id).toBe("profile-1");
      }

      const first = await c.query({ query: BrowseDocument, variables: { first: 3 } });
      const page1 = first.data!.titles;
      expect(page1.edges).toHaveLength(3);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const second = await c.query({
        query: BrowseDocument,
        variables: { first: 3, after: page1.pageInfo.endCursor },
        fetchPolicy: "network-only",
      });
      // relayStylePagination merged both pages under one field.
      const ids1 = page1.edges.map((e) => e.node.id);
      const merged = second.data!.titles.edges.map((e) => e.node.id);
      expect(merged.slice(0, 3)).toEqual(ids1);
      expect(merged).toHaveLength(6);
      expect(new Set(merged).size).toBe(6);

      const genres = await c.query({ query: GenresDocument });
      const slug = genres.data!.genres[0].slug;
      const filtered = await c.query({ query: BrowseDocument, variables: { first: 5, filter: { genres: [slug], kind: "MOVIE" } } });
      expect(filtered.error).toBeUndefined();
      for (const e of filtered.data!.titles.edges) expect(e.node.kind).toBe("MOVIE");

      const word = page1.edges[0].node.name.split(" ").find((w) => w.length > 3) ?? page1.edges[0].node.name;
      const search = await c.query({ query: SearchDocument, variables: { query: word, first: 5 } });
      expect(search.error).toBeUndefined();
      expect(search.data!.search.totalCount).toBeGreaterThan(0);
      const fragments = search.data!.search.edges.flatMap((e) => e.highlights.flatMap((h) => h.fragments));
      expect(fragments.some((f) => f.includes("<em>"))).toBe(true);

      const title = await c.query({ query: TitlePageDocument, variables: { id: ids1[0] } });
      expect(title.error).toBeUndefined();
      expect(title.data!.title!.name).toBe(page1.edges[0].node.name);
      expect(title.data!.title!.chatRoom?.id).toBeTruthy();
      const sentiment = await c.query({ query: TitleSentimentDocument, variables: { id: ids1[0] } });
      expect(sentiment.error).toBeUndefined();
      expect(sentiment.data!.title!.audienceSentiment!.label).toMatch(/POSITIVE|NEUTRAL|NEGATIVE/);
    } finally {
      dispose();
    }
  });

  it("my list round trip, playback and chat", async () => {
    const { client: c, dispose } = client("profile-2");
    try {
      const browse = await c.query({ query: BrowseDocument, variables: { first: 20 } });
      const viewer = await c.query({ query: ViewerDocument, fetchPolicy: "network-only" });
      const listed = new Set(viewer.data!.viewer!.myList.map((t) => t.id));
      const target = browse.data!.titles.edges.map((e) => e.node).find((t) => !listed.has(t.id))!;

      const added = await c.mutate({ mutation: AddToMyListDocument, variables: { titleId: target.id } });
      expect(added.data!.addToMyList.myList.map((t) => t.id)).toContain(target.id);
      const removed = await c.mutate({ mutation: RemoveFromMyListDocument, variables: { titleId: target.id } });
      expect(removed.data!.removeFromMyList.myList.map((t) => t.id)).not.toContain(target.id);

      const page = await c.query({ query: TitlePageDocument, variables: { id: target.id } });
      const videos = await c.query({ query: TitleVideosDocument, variables: { id: target.id } });
      expect(videos.error).toBeUndefined();
      const video = videos.data!.title!.videos![0] ?? page.data!.title!.seasons[0]?.episodes[0]?.video;
      expect(video).toBeTruthy();
      const session = await c.mutate({ mutation: StartPlaybackDocument, variables: { videoId: video!.id } });
      const sessionId = session.data!.startPlayback.id;
      const progress = await c.mutate({ mutation: ReportProgressDocument, variables: { sessionId, positionSeconds: 42 } });
      expect(progress.data!.reportProgress.positionSeconds).toBe(42);

      const roomId = page.data!.title!.chatRoom!.id;
      // Three messages, so that a page of two always has an older one behind it.
      for (const warmup of ["first!", "meh, slow start"]) {
        await c.mutate({ mutation: PostMessageDocument, variables: { roomId, body: warmup } });
      }
      const body = `what a great finale ${Date.now()}`;
      const posted = await c.mutate({ mutation: PostMessageDocument, variables: { roomId, body } });
      expect(posted.data!.postMessage.body).toBe(body);
      expect(["POSITIVE", "NEUTRAL", "NEGATIVE"]).toContain(posted.data!.postMessage.sentiment!.label);

      const chat = await c.query({ query: ChatMessagesDocument, variables: { roomId, first: 2 }, fetchPolicy: "network-only" });
      expect(chat.data!.chatRoom!.messages.edges[0].node.body).toBe(body);
      expect(chat.data!.chatRoom!.messages.pageInfo.hasNextPage).toBe(true);
      const newer = chat.data!.chatRoom!.messages.edges.map((e) => e.node.id);
      const older = await c.query({
        query: ChatMessagesDocument,
        variables: { roomId, first: 2, before: chat.data!.chatRoom!.messages.pageInfo.endCursor },
        // keyArgs: false makes every page one cache field; go to the network as fetchMore does.
        fetchPolicy: "network-only",
      });
      // newestFirstPagination appended the older page after the newest one.
      const all = older.data!.chatRoom!.messages.edges.map((e) => e.node.id);
      expect(all.slice(0, 2)).toEqual(newer);
      expect(all.length).toBeGreaterThan(2);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      dispose();
    }
  });

  it("anonymous requests see public fields only, and a bad token is refused", async () => {
    // A token source that cannot sign in: the client goes on anonymously.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const anonymous = client("profile-1", () => Promise.reject(new Error("signed out")));
    try {
      const browse = await anonymous.client.query({ query: BrowseDocument, variables: { first: 1 } });
      expect(browse.error).toBeUndefined();
      const viewer = await anonymous.client.query({ query: ViewerDocument, fetchPolicy: "network-only", errorPolicy: "all" });
      expect(viewer.data?.viewer).toBeNull();
      expect(CombinedGraphQLErrors.is(viewer.error) && viewer.error.errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(warn).toHaveBeenCalled();
    } finally {
      anonymous.dispose();
    }

    const forged = client("profile-1", async () => "not-a-token");
    try {
      const result = await forged.client.query({ query: ViewerDocument, fetchPolicy: "network-only", errorPolicy: "all" });
      // HTTP 401, whose graphql-response+json body Apollo reads as GraphQL errors.
      expect(CombinedGraphQLErrors.is(result.error) && result.error.errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    } finally {
      forged.dispose();
    }
  });
});
