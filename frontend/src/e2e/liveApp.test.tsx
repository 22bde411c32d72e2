// The whole app (real Apollo client, links and cache) against a running
// server. Opt-in like live.test.ts: set CINEGRAPH_E2E_URL. jsdom's WebSocket
// cannot run graphql-ws under Node (its events cross realms), so the app runs
// without a socket here and the chat polls; liveSubscription.test.ts covers
// the websocket.
import { ThemeProvider } from "@mui/material";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { CinegraphApollo } from "../apollo/CinegraphApollo";
import { loadAuthConfig } from "../auth/authConfig";
import { ProfileProvider } from "../profile/ProfileContext";
import { memoryNavigator, Router } from "../routing/router";
import { theme } from "../theme";

const base = process.env.CINEGRAPH_E2E_URL;

function renderApp(route: string) {
  const url = new URL("/graphql", base);
  const navigator = memoryNavigator(route);
  render(
    <ThemeProvider theme={theme}>
      <ProfileProvider loadConfig={() => loadAuthConfig({ graphqlUrl: url.toString() })}>
        <CinegraphApollo httpUrl={url.toString()} wsUrl={null} pollIntervalMs={1000}>
          <Router navigator={navigator}>
            <App />
          </Router>
        </CinegraphApollo>
      </ProfileProvider>
    </ThemeProvider>,
  );
  return navigator;
}

describe.skipIf(!base)("live app", () => {
  it("home follows the profile switcher", async () => {
    renderApp("/");
    const first = await screen.findByRole("heading", { name: /^Welcome back, / }, { timeout: 15_000 });
    const firstName = first.textContent;
    await userEvent.click(screen.getByRole("combobox", { name: "Signed in as" }));
    await userEvent.click(within(screen.getByRole("listbox")).getByText("Grace"));
    await screen.findByRole("heading", { name: (name) => name.startsWith("Welcome back, ") && name !== firstName }, { timeout: 15_000 });
    expect(localStorage.getItem("cinegraph.profile")).toBe("profile-2");
  });

  it("browses into a title and chats on it", async () => {
    const navigator = renderApp("/browse");
    const posters = await screen.findAllByRole("img", {}, { timeout: 15_000 });
    const name = posters[0].getAttribute("alt")!;
    await userEvent.click(posters[0]);
    expect(navigator.history.at(-1)).toMatch(/^\/title\//);
    expect(await screen.findByRole("heading", { name, level: 1 }, { timeout: 15_000 })).toBeInTheDocument();

    const chat = await screen.findByRole("region", { name: "Watch party" });
    const body = `the ending was wonderful ${Date.now()}`;
    await userEvent.type(within(chat).getByRole("textbox", { name: "Message" }), body);
    await userEvent.click(within(chat).getByRole("button", { name: "Send" }));
    const item = await within(chat).findByText(body, {}, { timeout: 15_000 });
    expect(item.closest("li")?.querySelector("[data-sentiment]")).not.toBeNull();
  });
});
