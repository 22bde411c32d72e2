import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BrowseDocument, GenresDocument } from "../gql/graphql";
import { pageInfo, poster, renderWithApollo } from "../test/render";
import { BrowseScreen } from "./BrowseScreen";

const genres = {
  request: { query: GenresDocument },
  result: {
    data: {
      genres: [
        { __typename: "Genre", slug: "drama", name: "Drama" },
        { __typename: "Genre", slug: "sci-fi", name: "Science Fiction" },
      ],
    },
  },
};

function titlesPage(items: ReturnType<typeof poster>[], hasNextPage: boolean, endCursor: string) {
  return {
    data: {
      titles: {
        __typename: "TitleConnection",
        totalCount: 3,
        pageInfo: pageInfo(hasNextPage, endCursor),
        edges: items.map((node) => ({ __typename: "TitleEdge", cursor: `cur-${node.id}`, node })),
      },
    },
  };
}

describe("BrowseScreen", () => {
  it("renders the first page and appends the next one on Load more", async () => {
    const mocks = [
      genres,
      {
        request: { query: BrowseDocument, variables: { first: 2, filter: null } },
        result: titlesPage([poster("t1", "Alpha"), poster("t2", "Beta")], true, "cur-t2"),
      },
      {
        request: { query: BrowseDocument, variables: { first: 2, after: "cur-t2", filter: null } },
        result: titlesPage([poster("t3", "Gamma")], false, "cur-t3"),
      },
    ];
    renderWithApollo(<BrowseScreen pageSize={2} />, { mocks });

    expect(await screen.findByText("Alpha")).toBeInTheDocument();
    expect(screen.getByText("Beta")).toBeInTheDocument();
    expect(screen.queryByText("Gamma")).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));

    expect(await screen.findByText("Gamma")).toBeInTheDocument();
    // Pages are merged by relayStylePagination, in order, without duplicates.
    const names = screen.getAllByRole("img").map((img) => img.getAttribute("alt"));
    expect(names).toEqual(["Alpha", "Beta", "Gamma"]);
    await waitFor(() => expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument());
  });

  it("refetches with the kind filter", async () => {
    const mocks = [
      genres,
      {
        request: { query: BrowseDocument, variables: { first: 2, filter: null } },
        result: titlesPage([poster("t1", "Alpha")], false, "cur-t1"),
      },
      {
        request: { query: BrowseDocument, variables: { first: 2, filter: { kind: "SERIES" } } },
        result: titlesPage([{ ...poster("s1", "Serial"), kind: "SERIES" as never }], false, "cur-s1"),
      },
    ];
    const { navigator } = renderWithApollo(<BrowseScreen pageSize={2} />, { mocks, route: "/browse" });
    expect(await screen.findByText("Alpha")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("combobox", { name: "Kind" }));
    await userEvent.click(within(screen.getByRole("listbox")).getByText("Series"));

    expect(await screen.findByText("Serial")).toBeInTheDocument();
    expect(screen.queryByText("Alpha")).not.toBeInTheDocument();
    // The filter is in the address, as a step of its own.
    expect(navigator.history).toEqual(["/browse", "/browse?kind=SERIES"]);
  });

  it("reads its filter from the address", async () => {
    const mocks = [
      genres,
      {
        request: { query: BrowseDocument, variables: { first: 2, filter: { kind: "SERIES", releaseYearFrom: 1990 } } },
        result: titlesPage([{ ...poster("s1", "Serial"), kind: "SERIES" as never }], false, "cur-s1"),
      },
    ];
    renderWithApollo(<BrowseScreen pageSize={2} />, { mocks, route: "/browse?kind=SERIES&from=1990" });
    expect(await screen.findByText("Serial")).toBeInTheDocument();
    expect(screen.getByRole("spinbutton", { name: "From year" })).toHaveValue(1990);
  });
});
