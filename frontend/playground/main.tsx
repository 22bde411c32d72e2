// The offline GraphQL playground: GraphiQL bundled with its Monaco workers,
// pointed at the same-origin /graphql endpoint and signed in as the app is
// in this tab: the OpenID Connect provider's user (its access token, from
// the tab's sessionStorage), else a demo token for the chosen profile.
import "./workers";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { defaultWsUrl, GRAPHQL_PATH } from "../src/apollo/endpoints";
import { loadAuthConfig } from "../src/auth/authConfig";
import { createDemoTokenSource } from "../src/auth/demoToken";
import { createOidcSession, userLabel } from "../src/auth/oidc";
import { readProfile } from "../src/profile/profileStore";
import { defaultHeaders, defaultQuery, type ProviderUser } from "./config";

const root = document.getElementById("playground");
if (!root) throw new Error("missing #playground element");

const profile = readProfile();
const config = await loadAuthConfig();
const oidc = config.oidc ? createOidcSession(config.oidc) : null;
const signedIn = oidc ? await oidc.currentUser().catch(() => null) : null;
const user: ProviderUser | null = oidc && signedIn ? { label: userLabel(signedIn), provider: oidc.providerName } : null;

// Without a token (nobody signed in at the provider, no demo sign-in on this
// server, or it is down) the playground opens anonymously; its example
// query's comment says so.
const noToken = (err: unknown) => {
  console.warn("playground: no token, opening anonymously:", err);
  return null;
};
const token =
  oidc && user
    ? await oidc.tokens.getToken().catch(noToken)
    : config.demoTokens
      ? await createDemoTokenSource({ profile }).getToken().catch(noToken)
      : null;
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
      defaultQuery={defaultQuery(profile, token !== null, user)}
      defaultHeaders={defaultHeaders(token)}
      initialHeaders={defaultHeaders(token)}
      defaultEditorToolsVisibility="headers"
    />
  </StrictMode>,
);
