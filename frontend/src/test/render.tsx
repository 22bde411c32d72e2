// Test harness: renders a component with the app's real cache policies, a
// MockedProvider link, the theme, an in-memory router and live settings.
import { ApolloLink } from "@apollo/client";
import { MockedProvider } from "@apollo/client/testing/react";
import { MockLink } from "@apollo/client/testing";
import { isSubscriptionOperation } from "@apollo/client/utilities";
import { Observable, type Observer } from "rxjs";
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
  /** Answers subscriptions (by operation name) from the test; the mocks answer the rest. */
  feed?: SubscriptionFeed;
}

/**
 * Subscriptions the test drives: each subscription the app opens stays
 * open, and push() sends every open one of that name an event.
 */
export interface SubscriptionFeed {
  link: ApolloLink;
  /** How many subscriptions of that operation are open. */
  open(operationName: string): number;
  push(operationName: string, data: Record<string, unknown>): void;
}

export function subscriptionFeed(): SubscriptionFeed {
  const observers = new Map<string, Set<Observer<ApolloLink.Result>>>();
  const link = new ApolloLink((operation, forward) => {
    if (!isSubscriptionOperation(operation.query)) return forward(operation);
    const name = operation.operationName ?? "";
    return new Observable<ApolloLink.Result>((observer) => {
      const set = observers.get(name) ?? new Set();
      observers.set(name, set);
      set.add(observer);
      return () => set.delete(observer);
    });
  });
  return {
    link,
    open: (name) => observers.get(name)?.size ?? 0,
    push(name, data) {
      for (const o of observers.get(name) ?? []) o.next({ data });
    },
  };
}

export function renderWithApollo(ui: ReactElement, { mocks = [], route = "/", live = {}, feed }: RenderOptions = {}) {
  const navigator = memoryNavigator(route);
  const cache = createCache();
  const settings: LiveSettings = {
    socket: { get: () => "closed", subscribe: () => () => {} },
    subscriptions: false,
    pollIntervalMs: 60_000,
    ...live,
  };
  const link = feed ? ApolloLink.from([feed.link, new MockLink(mocks, { defaultOptions: { delay: 0 } })]) : undefined;
  const utils = render(
    <MockedProvider mocks={mocks} cache={cache} link={link} mockLinkDefaultOptions={{ delay: 0 }}>
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
