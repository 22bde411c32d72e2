import { gql, type TypedDocumentNode } from "@apollo/client";
import { useApolloClient, useQuery } from "@apollo/client/react";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuthConfig } from "../auth/authConfig";
import { ProfileProvider, useProfile } from "../profile/ProfileContext";
import { fakeUserManager, testOidcConfig, testUser } from "../test/fakeOidc";
import { CinegraphApollo } from "./CinegraphApollo";

const WHO: TypedDocumentNode<{ viewer: { id: string } | null }> = gql`
  query Who {
    viewer {
      id
    }
  }
`;

/** The /graphql and /auth/demo-token of a server that answers the viewer with the bearer it got. */
function stubServer() {
  const bearers: (string | null)[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith("/auth/demo-token")) {
      const { profile } = JSON.parse(String(init?.body)) as { profile: string };
      return Response.json({ token: `demo-${profile}`, expiresAt: "2999-01-01T00:00:00Z" });
    }
    const bearer = new Headers(init?.headers).get("Authorization");
    bearers.push(bearer);
    return Response.json({ data: { viewer: bearer ? { __typename: "Profile", id: bearer } : null } });
  });
  return bearers;
}

const clients: unknown[] = [];
function Viewer() {
  clients.push(useApolloClient());
  const { setProfile } = useProfile();
  const { data } = useQuery(WHO, { fetchPolicy: "cache-first" });
  return (
    <>
      <output aria-label="viewer">{data ? (data.viewer?.id ?? "nobody") : "loading"}</output>
      <button onClick={() => setProfile("profile-2")}>profile-2</button>
    </>
  );
}

function renderApp(config: AuthConfig, fake = fakeUserManager(null)) {
  render(
    <ProfileProvider loadConfig={async () => config} createOidc={(c) => fake.session({ config: c })}>
      <CinegraphApollo httpUrl="http://127.0.0.1:4000/graphql" wsUrl={null}>
        <Viewer />
      </CinegraphApollo>
    </ProfileProvider>,
  );
  return fake;
}

describe("CinegraphApollo", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    clients.length = 0;
  });

  it("sends the provider's access token, keeps the client on renewal, and builds a new one per identity", async () => {
    const bearers = stubServer();
    const ada = testUser("at-1", 3_600_000, undefined, { name: "Ada" });
    const fake = renderApp({ demoTokens: true, oidc: testOidcConfig }, fakeUserManager(ada));

    expect(await screen.findByText("Bearer at-1")).toHaveAccessibleName("viewer");
    const first = clients.at(-1);

    // A renewed token for the same user: same client, same cache.
    act(() => fake.load(testUser("at-2", 7_200_000, undefined, { name: "Ada" })));
    expect(clients.at(-1)).toBe(first);
    expect(screen.getByLabelText("viewer")).toHaveTextContent("Bearer at-1");

    // Another identity: a fresh client, whose cache knows nothing of Ada.
    await userEvent.click(screen.getByRole("button", { name: "profile-2" }));
    expect(await screen.findByText("Bearer demo-profile-2")).toHaveAccessibleName("viewer");
    expect(clients.at(-1)).not.toBe(first);
    expect(bearers).toEqual(["Bearer at-1", "Bearer demo-profile-2"]);
    expect(fake.manager.removeUser).toHaveBeenCalledOnce();
  });

  it("goes anonymously when nobody is signed in and there are no demo tokens", async () => {
    const bearers = stubServer();
    renderApp({ demoTokens: false, oidc: testOidcConfig });
    expect(await screen.findByText("nobody")).toHaveAccessibleName("viewer");
    expect(bearers).toEqual([null]);
  });
});
