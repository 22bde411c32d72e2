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

const profile = readProfile();

const fetcher = createGraphiQLFetcher({
  url: GRAPHQL_PATH,
  subscriptionUrl: defaultWsUrl(),
  wsConnectionParams: { profile },
  enableIncrementalDelivery: false,
});

const defaultQuery = `# Cinegraph playground: requests go to /graphql as ${profile}
# (change the X-Cinegraph-Profile header below to act as another profile).
query Home {
  viewer {
    name
    myList { name releaseYear }
    recommendations(first: 3) { reason title { name } }
  }
}
`;

const root = document.getElementById("playground");
if (!root) throw new Error("missing #playground element");

createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={defaultQuery}
      defaultHeaders={JSON.stringify({ [PROFILE_HEADER]: profile }, null, 2)}
      initialHeaders={JSON.stringify({ [PROFILE_HEADER]: profile }, null, 2)}
      defaultEditorToolsVisibility="headers"
    />
  </StrictMode>,
);
