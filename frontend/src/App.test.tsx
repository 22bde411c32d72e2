import { screen } from "@testing-library/react";
import type { DocumentNode } from "graphql";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import {
  BrowseDocument,
  ContinueWatchingDocument,
  GenresDocument,
  RecommendationsDocument,
  SearchDocument,
  ViewerDocument,
} from "./gql/graphql";
import { pageInfo, poster, renderWithApollo } from "./test/render";

const home = [
  {
    request: { query: ViewerDocument },
    result: {
      data: {
        viewer: { __typename: "Profile", id: "profile-1", name: "Ada", avatarUrl: "/a.png", myList: [poster("t1", "Saved Film")] },
      },
    },
  },
  {
    request: { query: ContinueWatchingDocument },
    result: {
      data: {
        viewer: {
          __typename: "Profile",
          id: "profile-1",
          continueWatching: [
            {
              __typename: "ViewingActivity",
              positionSeconds: 600,
              progress: 0.25,
              video: { __typename: "Video", id: "v2", name: "Episode 2", title: poster("t2", "Half Watched") },
            },
          ],
        },
      },
    },
  },
  {
    request: { query: RecommendationsDocument },
    // The insights subgraph is down: recommendations is nullable, so only
    // this row is null and says so.
    result: {
      data: { viewer: { __typename: "Profile", id: "profile-1", recommendations: null } },
      errors: [{ message: "insights unavailable", path: ["viewer", "recommendations"], extensions: { code: "UNAVAILABLE" } }],
    },
  },
];

describe("App", () => {
  it("shows the home rows and navigates to search", async () => {
    const search = {
      request: { query: SearchDocument, variables: { query: "next", first: 20, filter: null } },
      result: {
        data: {
          search: {
            __typename: "SearchConnection",
            totalCount: 0,
            pageInfo: pageInfo(false, null),
            facets: { __typename: "SearchFacets", genres: [], releaseYears: [], kinds: [] },
            edges: [],
          },
        },
      },
    };
    const { navigator } = renderWithApollo(<App />, { mocks: [...home, search] });

    expect(await screen.findByRole("heading", { name: "Welcome back, Ada" })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "My List" })).toHaveTextContent("Saved Film");
    expect(await screen.findByRole("progressbar", { name: "Episode 2 progress" })).toHaveAttribute("aria-valuenow", "25");
    expect(await screen.findByText(/temporarily unavailable/)).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Recommended for you" })).toHaveTextContent("Not available right now.");
    expect(screen.getByRole("region", { name: "Continue watching" })).toHaveTextContent("Half Watched");

    await userEvent.type(screen.getByRole("textbox", { name: "Search" }), "next{Enter}");
    expect(navigator.history.at(-1)).toBe("/search?q=next");
    expect(await screen.findByText("No matches.")).toBeInTheDocument();
  });

  it("says which watched titles led to a recommendation", async () => {
    const recs = {
      request: { query: RecommendationsDocument },
      result: {
        data: {
          viewer: {
            __typename: "Profile",
            id: "profile-1",
            recommendations: [
              {
                __typename: "Recommendation",
                reason: "Viewers who watched 2 of your titles also watched this; audiences are positive",
                score: 0.8,
                becauseYouWatched: [
                  { __typename: "Title", id: "t7", name: "Harbour Lights" },
                  { __typename: "Title", id: "t8", name: "Night Ferry" },
                ],
                title: poster("t3", "Picked For You"),
              },
              {
                __typename: "Recommendation",
                reason: "Watched by 3 viewers; audiences are neutral",
                score: 0.3,
                becauseYouWatched: [],
                title: poster("t4", "Popular One"),
              },
            ],
          },
        },
      },
    };
    renderWithApollo(<App />, { mocks: [...home.filter((m) => m.request.query !== RecommendationsDocument), recs] });
    const row = await screen.findByRole("region", { name: "Recommended for you" });
    expect(await screen.findByText("Because you watched Harbour Lights, Night Ferry")).toBeInTheDocument();
    expect(row).toHaveTextContent("Watched by 3 viewers; audiences are neutral");
  });

  it("asks an anonymous viewer to sign in instead of showing the rows", async () => {
    const signedOut = (query: DocumentNode) => ({
      request: { query },
      result: {
        data: { viewer: null },
        errors: [{ message: "sign in", path: ["viewer"], extensions: { code: "UNAUTHENTICATED" } }],
      },
    });
    renderWithApollo(<App />, {
      mocks: [ViewerDocument, ContinueWatchingDocument, RecommendationsDocument].map(signedOut),
    });
    expect(await screen.findByRole("heading", { name: "Welcome" })).toBeInTheDocument();
    expect(screen.getByText(/Sign in to see your rows/)).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "My List" })).not.toBeInTheDocument();
  });

  it("opens browse from the nav", async () => {
    const browse = {
      request: { query: BrowseDocument, variables: { first: 24, filter: null } },
      result: {
        data: {
          titles: {
            __typename: "TitleConnection",
            totalCount: 1,
            pageInfo: pageInfo(false, "c1"),
            edges: [{ __typename: "TitleEdge", cursor: "c1", node: poster("t1", "Only One") }],
          },
        },
      },
    };
    const genres = { request: { query: GenresDocument }, result: { data: { genres: [] } } };
    renderWithApollo(<App />, { mocks: [...home, browse, genres] });
    await userEvent.click(screen.getByRole("button", { name: "Browse" }));
    expect(await screen.findByText("Only One")).toBeInTheDocument();
    expect(screen.getByText("1 title")).toBeInTheDocument();
  });
});
