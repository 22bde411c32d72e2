// Test harness: renders a component with the app's real cache policies, a
// MockedProvider link, the theme, an in-memory router and live settings.
import { MockedProvider } from "@apollo/client/testing/react";
import type { MockLink } from "@apollo/client/testing";
import { ThemeProvider } from "@mui/material";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createCache } from "../apollo/cache";
import { LiveContext, type LiveSettings } from "../live/LiveContext";
import { memoryNavigator, Router } from "../routing/router";
import { theme } from "../theme";

export interface RenderOptions {
  mocks?: ReadonlyArray<MockLink.MockedResponse<any, any>>;
  route?: string;
  live?: Partial<LiveSettings>;
}

export function renderWithApollo(ui: ReactElement, { mocks = [], route = "/", live = {} }: RenderOptions = {}) {
  const navigator = memoryNavigator(route);
  const cache = createCache();
  const settings: LiveSettings = {
    socket: { get: () => "closed", subscribe: () => () => {} },
    subscriptions: false,
    pollIntervalMs: 60_000,
    ...live,
  };
  const utils = render(
    <MockedProvider mocks={mocks} cache={cache} mockLinkDefaultOptions={{ delay: 0 }}>
      <ThemeProvider theme={theme}>
        <LiveContext.Provider value={settings}>
          <Router navigator={navigator}>{ui}</Router>
        </LiveContext.Provider>
      </ThemeProvider>
    </MockedProvider>,
  );
  return { ...utils, navigator, cache };
}

export function poster(id: string, name: string, releaseYear = 2001) {
  return {
    __typename: "Title" as const,
    id,
    name,
    kind: "MOVIE" as const,
    releaseYear,
    artwork: { __typename: "Artwork" as const, posterUrl: `/posters/${id}.jpg` },
  };
}

export const pageInfo = (hasNextPage: boolean, endCursor: string | null) => ({
  __typename: "PageInfo" as const,
  hasNextPage,
  hasPreviousPage: false,
  startCursor: null,
  endCursor,
});
