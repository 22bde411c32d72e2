import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "./App";
import { OpsConsoleDocument } from "./gql/graphql";
import { ADMIN_STORAGE_KEY } from "./profile/adminStore";
import { ProfileProvider } from "./profile/ProfileContext";
import { renderWithApollo } from "./test/render";

const refused = {
  request: { query: OpsConsoleDocument },
  result: { data: { ops: null }, errors: [new GraphQLError("forbidden", { path: ["ops"], extensions: { code: "FORBIDDEN" } })] },
};

function renderApp() {
  return renderWithApollo(
    <ProfileProvider loadConfig={async () => ({ demoTokens: true, oidc: null })}>
      <App />
    </ProfileProvider>,
    { mocks: [refused], route: "/ops" },
  );
}

afterEach(() => localStorage.clear());

describe("App's ops link", () => {
  it("is shown to an admin only", async () => {
    renderApp();
    expect(await screen.findByRole("heading", { name: "Ops console" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Ops" })).not.toBeInTheDocument();

    await userEvent.click(await screen.findByRole("button", { name: "Sign in as admin" }));
    expect(localStorage.getItem(ADMIN_STORAGE_KEY)).toBe("true");
    expect(await screen.findByRole("button", { name: "Ops" })).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Leave admin" }));
    expect(screen.queryByRole("button", { name: "Ops" })).not.toBeInTheDocument();
  });
});
