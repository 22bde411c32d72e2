import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { AddToMyListDocument, RemoveFromMyListDocument, ViewerDocument } from "../gql/graphql";
import { poster, renderWithApollo } from "../test/render";
import { MyListButton } from "./MyListButton";

const other = poster("t9", "Other Film");
const target = poster("t1", "Star Voyage");
const profile = (myList: ReturnType<typeof poster>[]) => ({
  __typename: "Profile",
  id: "profile-1",
  myList,
});

describe("MyListButton", () => {
  it("adds then removes the title, updating the cached profile", async () => {
    const mocks = [
      {
        request: { query: ViewerDocument },
        result: { data: { viewer: { ...profile([other]), name: "Ada", avatarUrl: "/a.png" } } },
      },
      {
        request: { query: AddToMyListDocument, variables: { titleId: "t1" } },
        result: { data: { addToMyList: profile([target, other]) } },
      },
      {
        request: { query: RemoveFromMyListDocument, variables: { titleId: "t1" } },
        result: { data: { removeFromMyList: profile([other]) } },
      },
    ];
    const { cache } = renderWithApollo(<MyListButton title={target} />, { mocks });

    const button = await screen.findByRole("button", { name: "My List" });
    await screen.findByRole("button", { name: "My List" });
    expect(button).toHaveAttribute("aria-pressed", "false");

    await userEvent.click(await screen.findByRole("button", { name: "My List" }));
    expect(await screen.findByRole("button", { name: "In My List" })).toHaveAttribute("aria-pressed", "true");
    const cached = cache.readQuery({ query: ViewerDocument });
    expect(cached?.viewer?.myList.map((t) => t.id)).toEqual(["t1", "t9"]);

    await userEvent.click(screen.getByRole("button", { name: "In My List" }));
    expect(await screen.findByRole("button", { name: "My List" })).toHaveAttribute("aria-pressed", "false");
    expect(cache.readQuery({ query: ViewerDocument })?.viewer?.myList.map((t) => t.id)).toEqual(["t9"]);
  });

  it("shows a FORBIDDEN error and leaves the list alone", async () => {
    const mocks = [
      {
        request: { query: ViewerDocument },
        result: { data: { viewer: { ...profile([]), name: "Kid", avatarUrl: "/k.png" } } },
      },
      {
        request: { query: AddToMyListDocument, variables: { titleId: "t1" } },
        result: { data: null, errors: [{ message: "no", extensions: { code: "FORBIDDEN" } }] },
      },
    ];
    renderWithApollo(<MyListButton title={target} />, { mocks });
    await userEvent.click(await screen.findByRole("button", { name: "My List" }));
    expect(await screen.findByText("This profile isn't allowed to do that.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "My List" })).toHaveAttribute("aria-pressed", "false");
  });
});
