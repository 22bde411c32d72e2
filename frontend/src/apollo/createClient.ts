import { ApolloClient, ApolloLink, HttpLink } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { OperationTypeNode } from "graphql";
import { createSocketStatus, type SocketStatusSource } from "../live/LiveContext";
import { PROFILE_HEADER } from "../profile/profileStore";
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
  profile: string;
  httpUrl?: string;
  /** Websocket URL; null disables subscriptions (the chat then polls). */
  wsUrl?: string | null;
  /** fetch implementation for HTTP requests (tests inject one). */
  fetch?: typeof fetch;
  /** WebSocket implementation (tests inject one). */
  webSocketImpl?: unknown;
  /** Automatic persisted queries over HTTP; on unless false. */
  persistedQueries?: boolean;
}

/**
 * Builds an Apollo client acting as one profile: the profile header on every
 * HTTP request, and `{ profile }` in the websocket connection_init payload.
 * One client per profile keeps one viewer's cache from leaking into another's.
 */
export function createCinegraphClient({
  profile,
  httpUrl = GRAPHQL_PATH,
  wsUrl = defaultWsUrl(),
  fetch,
  webSocketImpl,
  persistedQueries = true,
}: ClientOptions): CinegraphClient {
  const socket = createSocketStatus();
  // Only HTTP sends hashes: over the websocket a document goes once per
  // subscription and no CDN sits in between, so a hash would save little.
  let http: ApolloLink = new HttpLink({ uri: httpUrl, headers: { [PROFILE_HEADER]: profile }, fetch });
  const persisted = persistedQueries ? persistedQueriesLink() : null;
  if (persisted) {
    http = persisted.concat(http);
  }

  let ws: WsClient | undefined;
  let link: ApolloLink = http;
  if (wsUrl) {
    ws = createWsClient({
      url: wsUrl,
      lazy: true,
      connectionParams: { profile },
      webSocketImpl,
      // Few retries: when the socket is down the chat falls back to polling.
      retryAttempts: 3,
      on: {
        connecting: () => socket.set("connecting"),
        connected: () => socket.set("connected"),
        closed: () => socket.set("closed"),
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
