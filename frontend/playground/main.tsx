// The offline GraphQL playground: GraphiQL bundled with its Monaco workers,
// pointed at the same-origin /graphql endpoint and signed in as the app is
// in this tab: the OpenID Connect provider's user (its access token, from
// the tab's sessionStorage), else a demo token for the chosen profile
// (an admin's when the address has ?admin=1). Dark, in the app's colours,
// with long lines wrapped; a "Plan & timings" pane shows the router's query
// plan for each request and, for admin tokens, its subgraph fetches' timings.
import "./workers";
import "graphiql/style.css";
import "./theme.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { defaultWsUrl, GRAPHQL_PATH } from "../src/apollo/endpoints";
import { loadAuthConfig } from "../src/auth/authConfig";
import { createDemoTokenSource } from "../src/auth/demoToken";
import { createOidcSession, userLabel } from "../src/auth/oidc";
import { readAdmin } from "../src/profile/adminStore";
import { profileName, readProfile } from "../src/profile/profileStore";
import { fixTabRoles } from "./a11y";
import { defaultHeaders, defaultQuery, type ProviderUser } from "./config";
import { ADMIN_SCOPE, createReportStore, reportingFetcher, tokenScopes } from "./plan";
import { PlanPanel } from "./PlanPanel";

const root = document.getElementById("playground");
if (!root) throw new Error("missing #playground element");

const profile = readProfile();
// An admin's demo token when the app's sign-in asks for one (the ops
// console's setting) or the address says ?admin=1.
const wantAdmin = readAdmin() || new URLSearchParams(window.location.search).get("admin") === "1";
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
      ? await createDemoTokenSource({ profile, admin: wantAdmin }).getToken().catch(noToken)
      : null;
const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};

const admin = tokenScopes(token).includes(ADMIN_SCOPE);
// Demo sign-in can hand out an admin's token; a provider's user is what the provider says.
const adminHref = config.demoTokens && !(oidc && user) && !admin ? "/playground?admin=1" : null;

// Every Monaco editor (operation, variables, headers, response) wraps long
// lines instead of cutting them at the pane's edge. This is the Monaco
// module GraphiQL itself loads.
const monaco = await import("monaco-graphql/esm/monaco-editor.js");
monaco.editor.onDidCreateEditor((editor) => editor.updateOptions({ wordWrap: "on", wrappingIndent: "indent" }));

const reports = createReportStore();
const planPlugin = {
  title: "Plan & timings",
  icon: PlanIcon,
  content: () => <PlanPanel store={reports} admin={admin} adminHref={adminHref} />,
};

const httpFetcher = createGraphiQLFetcher({
  url: GRAPHQL_PATH,
  // The base header also covers schema introspection; the headers editor
  // (preset to the same token) overrides it per request, and its headers
  // join wsConnectionParams in the websocket's connection_init payload.
  headers: auth,
  subscriptionUrl: defaultWsUrl(),
  wsConnectionParams: auth,
  enableIncrementalDelivery: false,
});
const fetcher = reportingFetcher(httpFetcher, reports);

fixTabRoles(root);
createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      forcedTheme="dark"
      plugins={[HISTORY_PLUGIN, planPlugin]}
      defaultQuery={defaultQuery(`${profileName(profile)} (${profile})`, token !== null, user)}
      defaultHeaders={defaultHeaders(token)}
      initialHeaders={defaultHeaders(token)}
      defaultEditorToolsVisibility="headers"
    />
  </StrictMode>,
);

function PlanIcon() {
  // A small tree: the plan's fetches.
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <rect x="9" y="3" width="6" height="4" rx="1" />
      <rect x="3" y="17" width="6" height="4" rx="1" />
      <rect x="15" y="17" width="6" height="4" rx="1" />
      <path d="M12 7v5M6 17v-3h12v3" />
    </svg>
  );
}
