// The offline GraphQL playground: GraphiQL bundled with its Monaco workers,
// pointed at the same-origin /graphql endpoint as the chosen profile.
import "./workers";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { defaultWsUrl, GRAPHQL_PATH } from "../src/apollo/endpoints";
import { PROFILE_HEADER, readProfile } from "../src/profile/profileStore";
import { defaultHeaders, defaultQuery } from "./config";

const profile = readProfile();

const fetcher = createGraphiQLFetcher({
  url: GRAPHQL_PATH,
  // The base header also covers schema introspection; the headers editor
  // (preset to the same profile) overrides it per request.
  headers: { [PROFILE_HEADER]: profile },
  subscriptionUrl: defaultWsUrl(),
  wsConnectionParams: { profile },
  enableIncrementalDelivery: false,
});

const root = document.getElementById("playground");
if (!root) throw new Error("missing #playground element");

createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={defaultQuery(profile)}
      defaultHeaders={defaultHeaders(profile)}
      initialHeaders={defaultHeaders(profile)}
      defaultEditorToolsVisibility="headers"
    />
  </StrictMode>,
);
