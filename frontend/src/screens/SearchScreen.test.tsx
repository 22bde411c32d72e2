import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { SearchDocument } from "../gql/graphql";
import { pageInfo, poster, renderWithApollo } from "../test/render";
import { SearchScreen } from "./SearchScreen";

function result(names: [string, string][], highlight: string) {
  return {
    data: {
      search: {
        __typename: "SearchConnection",
        totalCount: names.length,
        pageInfo: pageInfo(false, null),
        facets: {
          __typename: "SearchFacets",
          genres: [
            { __typename: "FacetBucket", value: "sci-fi", count: 2 },
            { __typename: "FacetBucket", value: "drama", count: 1 },
          ],
          releaseYears: [{ __typename: "FacetBucket", value: "1999", count: 1 }],
          kinds: [{ __typename: "FacetBucket", value: "MOVIE", count: 2 }],
        },
        edges: names.map(([id, name]) => ({
          __typename: "SearchEdge",
          cursor: `c-${id}`,
          score: 1.5,
          highlights: [{ __typename: "Highlight", field: "synopsis", fragments: [highlight] }],
          node: { ...poster(id, name), synopsis: "plain synopsis" },
        })),
      },
    },
  };
}

describe("SearchScreen", () => {
  it("shows highlighted hits and facets, and narrows by a facet chip", async () => {
    const mocks = [
      {
        request: { query: SearchDocument, variables: { query: "space", first: 20, filter: null } },
        result: result(
          [
            ["t1", "Star Voyage"],
            ["t2", "Dark Matter"],
          ],
          "a <em>space</em> opera <script>alert(1)</script>",
        ),
      },
      {
        request: { query: SearchDocument, variables: { query: "space", first: 20, filter: { genres: ["drama"] } } },
        result: result([["t2", "Dark Matter"]], "lost in <em>space</em>"),
      },
    ];
    const { container } = renderWithApollo(<SearchScreen query=" space " />, { mocks });

    expect(await screen.findByText("Star Voyage")).toBeInTheDocument();
    const ems = container.querySelectorAll("em");
    expect(ems).toHaveLength(2);
    expect(ems[0]).toHaveTextContent("space");
    expect(container.querySelector("script")).toBeNull();
    expect(screen.getAllByText(/<script>alert\(1\)<\/script>/)).toHaveLength(2);

    expect(screen.getByRole("button", { name: "sci-fi (2)" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "1999 (1)" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Movies (2)" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "drama (1)" }));
    expect(await screen.findByText("lost in")).toBeInTheDocument();
    expect(screen.queryByText("Star Voyage")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "drama (1)" })).toHaveAttribute("aria-pressed", "true");
  });

  it("asks for a query when empty", () => {
    renderWithApollo(<SearchScreen query="  " />);
    expect(screen.getByText(/Type in the search box/)).toBeInTheDocument();
  });
});
