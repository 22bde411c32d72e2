import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { SearchDocument } from "../gql/graphql";
import type { Navigator } from "../routing/router";
import { pageInfo, poster, renderWithApollo } from "../test/render";
import { SearchScreen } from "./SearchScreen";

const bucket = (value: string, count: number) => ({ __typename: "FacetBucket", value, count });

function result(names: [string, string][], highlight: string, releaseYears = [bucket("1999", 1)]) {
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
          releaseYears,
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
    expect(screen.getByRole("button", { name: "1990s (1)" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Movies (2)" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "drama (1)" }));
    expect(await screen.findByText("lost in")).toBeInTheDocument();
    expect(screen.queryByText("Star Voyage")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "drama (1)" })).toHaveAttribute("aria-pressed", "true");
  });

  it("keeps the query and facets in the address, and Back undoes a facet", async () => {
    const years = [bucket("1984", 2), bucket("1987", 1), bucket("1991", 3), bucket("2003", 1)];
    const search = (filter: unknown) => ({ request: { query: SearchDocument, variables: { query: "space", first: 20, filter } } });
    const mocks = [
      { ...search({ genres: ["drama"] }), result: result([["t2", "Dark Matter"]], "lost in <em>space</em>", years) },
      {
        ...search({ genres: ["drama"], releaseYearFrom: 1980, releaseYearTo: 1989 }),
        result: result([["t3", "Old Space"]], "old <em>space</em>", [bucket("1984", 2), bucket("1987", 1)]),
      },
      {
        ...search({ genres: ["drama"], releaseYearFrom: 1984, releaseYearTo: 1984 }),
        result: result([["t4", "Space 84"]], "<em>space</em> in 84", [bucket("1984", 2)]),
      },
    ];
    // Read from the address on load: a shared link opens the same search.
    const { navigator } = renderWithApollo(<SearchScreen />, { mocks, route: "/search?q=space&genre=drama" });
    expect(await screen.findByText("Dark Matter")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "drama (1)" })).toHaveAttribute("aria-pressed", "true");

    // Years come as decades, counted from the year facet, oldest first.
    const decades = within(screen.getByRole("group", { name: "Decade" })).getAllByRole("button");
    expect(decades.map((b) => b.textContent)).toEqual(["1980s (3)", "1990s (3)", "2000s (1)"]);
    expect(screen.queryByRole("group", { name: "Year" })).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "1980s (3)" }));
    expect(navigator.location()).toEqual({ pathname: "/search", search: "?q=space&genre=drama&decade=1980" });
    expect(await screen.findByText("Old Space")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "1980s (3)" })).toHaveAttribute("aria-pressed", "true");

    // A chosen decade offers its years.
    const yearChips = within(screen.getByRole("group", { name: "Year" })).getAllByRole("button");
    expect(yearChips.map((b) => b.textContent)).toEqual(["1984 (2)", "1987 (1)"]);
    await userEvent.click(screen.getByRole("button", { name: "1984 (2)" }));
    expect(navigator.location().search).toBe("?q=space&genre=drama&decade=1980&year=1984");
    expect(await screen.findByText("Space 84")).toBeInTheDocument();

    // Back, twice: the year, then the decade, are undone.
    act(() => back(navigator));
    expect(await screen.findByText("Old Space")).toBeInTheDocument();
    act(() => back(navigator));
    expect(await screen.findByText("Dark Matter")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "1980s (3)" })).toHaveAttribute("aria-pressed", "false");
  });

  it("asks for a query when empty", () => {
    renderWithApollo(<SearchScreen query="  " />);
    expect(screen.getByText(/Type in the search box/)).toBeInTheDocument();
  });
});

/** The browser's Back button on a memory navigator. */
function back(navigator: Navigator & { history: string[] }) {
  navigator.history.pop();
  navigator.replace(navigator.history[navigator.history.length - 1]);
}
