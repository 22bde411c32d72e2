// The offline GraphQL playground: GraphiQL bundled with its Monaco workers,
// pointed at the same-origin /graphql endpoint and signed in with a demo
// token for the chosen profile.
import "./workers";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { defaultWsUrl, GRAPHQL_PATH } from "../src/apollo/endpoints";
import { createDemoTokenSource } from "../src/auth/demoToken";
import { readProfile } from "../src/profile/profileStore";
import { defaultHeaders, defaultQuery } from "./config";

const root = document.getElementById("playground");
if (!root) throw new Error("missing #playground element");

const profile = readProfile();

// Without a token (no demo sign-in on this server, or it is down) the
// playground opens anonymously; its example query's comment says so.
const token = await createDemoTokenSource({ profile })
  .getToken()
  .catch((err: unknown) => {
    console.warn("playground: no demo token, opening anonymously:", err);
    return null;
  });
const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};

const fetcher = createGraphiQLFetcher({
  url: GRAPHQL_PATH,
  // The base header also covers schema introspection; the headers editor
  // (preset to the same token) overrides it per request, and its headers
  // join wsConnectionParams in the websocket's connection_init payload.
  headers: auth,
  subscriptionUrl: defaultWsUrl(),
  wsConnectionParams: auth,
  enableIncrementalDelivery: false,
});

createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={defaultQuery(profile, token !== null)}
      defaultHeaders={defaultHeaders(token)}
      initialHeaders={defaultHeaders(token)}
      defaultEditorToolsVisibility="headers"
    />
  </StrictMode>,
);
