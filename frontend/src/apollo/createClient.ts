import { ApolloClient, ApolloLink, HttpLink } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { OperationTypeNode } from "graphql";
import { createSocketStatus, type SocketStatusSource } from "../live/LiveContext";
import { createDemoTokenSource } from "../auth/demoToken";
import type { TokenSource } from "../auth/tokenSource";
import { authLink, closedForToken, connectionParams } from "./auth";
import { createCache } from "./cache";
import { defaultWsUrl, GRAPHQL_PATH } from "./endpoints";
import { manifestOrder, persistedQueriesLink } from "./persistedQueries";

export interface CinegraphClient {
  client: ApolloClient;
  socket: SocketStatusSource;
  /** Whether subscriptions go over a websocket (false: wsUrl was null). */
  subscriptions: boolean;
  /** Closes the socket and stops the client. */
  dispose(): void;
}

export interface ClientOptions {
  /** The profile the client acts as; the default token source signs in as it. */
  profile: string;
  /** Whether the default (demo) token source asks for the admin scope too. */
  admin?: boolean;
  /**
   * Where the bearer tokens come from (the OpenID Connect provider's access
   * tokens, or none: ANONYMOUS); default: getToken, else demo tokens for
   * profile from /auth/demo-token.
   */
  tokens?: TokenSource;
  /** Bearer tokens; default: demo tokens for profile from /auth/demo-token. */
  getToken?: () => Promise<string>;
  /** Forgets a token the server rejected (only with getToken; the default source has its own). */
  dropToken?: () => void;
  httpUrl?: string;
  /** Websocket URL; null disables subscriptions (the chat then polls). */
  wsUrl?: string | null;
  /** fetch implementation for HTTP requests and demo tokens (tests inject one). */
  fetch?: typeof fetch;
  /** WebSocket implementation (tests inject one). */
  webSocketImpl?: unknown;
  /** Automatic persisted queries over HTTP; on unless false. */
  persistedQueries?: boolean;
}

/**
 * Builds an Apollo client acting as one identity (a demo profile, the user
 * signed in at the OpenID Connect provider, or nobody): its bearer token on
 * every HTTP request and in the websocket connection_init payload. One
 * client per identity keeps one viewer's cache from leaking into another's.
 */
export function createCinegraphClient({
  profile,
  admin = false,
  tokens: given,
  getToken,
  dropToken = () => {},
  httpUrl = GRAPHQL_PATH,
  wsUrl = defaultWsUrl(),
  fetch,
  webSocketImpl,
  persistedQueries = true,
}: ClientOptions): CinegraphClient {
  const tokens: TokenSource =
    given ??
    (getToken ? { getToken, drop: dropToken } : createDemoTokenSource({ profile, admin, graphqlUrl: httpUrl, fetch }));
  const socket = createSocketStatus();
  // Only HTTP sends hashes: over the websocket a document goes once per
  // subscription and no CDN sits in between, so a hash would save little.
  let http: ApolloLink = new HttpLink({ uri: httpUrl, fetch });
  const persisted = persistedQueries ? persistedQueriesLink() : null;
  if (persisted) {
    http = persisted.concat(http);
  }
  http = authLink(tokens).concat(http);

  let ws: WsClient | undefined;
  let link: ApolloLink = http;
  if (wsUrl) {
    ws = createWsClient({
      url: wsUrl,
      lazy: true,
      connectionParams: () => connectionParams(tokens),
      webSocketImpl,
      // Few retries: when the socket is down the chat falls back to polling.
      retryAttempts: 3,
      on: {
        connecting: () => socket.set("connecting"),
        connected: () => socket.set("connected"),
        closed: (event) => {
          // The router refused the token: the next connection attempt asks for a new one.
          if (closedForToken(event)) tokens.drop();
          socket.set("closed");
        },
      },
    });
    const wsLink = new GraphQLWsLink(ws);
    link = ApolloLink.split(
      ({ query }) => {
        const def = getMainDefinition(query);
        return def.kind === "OperationDefinition" && def.operation === OperationTypeNode.SUBSCRIPTION;
      },
      wsLink,
      http,
    );
  }

  const client = new ApolloClient({ link, cache: createCache(), documentTransform: manifestOrder });
  return {
    client,
    socket,
    subscriptions: ws !== undefined,
    dispose() {
      client.stop();
      void ws?.dispose();
    },
  };
}
