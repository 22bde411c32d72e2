import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ErrorResponse, type User } from "oidc-client-ts";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import type { AuthConfig } from "../auth/authConfig";
import { ProfileProvider, useProfile } from "../profile/ProfileContext";
import { fakeUserManager, testOidcConfig, testUser } from "../test/fakeOidc";
import { renderWithApollo } from "../test/render";

function Identity() {
  return <output aria-label="identity">{useProfile().identity.key}</output>;
}

/** The app at route, under a ProfileProvider whose /auth/config says config, signing in with fake. */
function renderApp(route: string, fake = fakeUserManager(null), config: AuthConfig = { demoTokens: true, oidc: testOidcConfig }) {
  const utils = renderWithApollo(
    <ProfileProvider loadConfig={async () => config} createOidc={(c) => fake.session({ config: c })}>
      <App />
      <Identity />
    </ProfileProvider>,
    { route },
  );
  return { ...utils, fake };
}

describe("AuthCallbackScreen", () => {
  it("completes the sign-in and goes back to where the user was", async () => {
    const fake = fakeUserManager(null);
    let resolve: (user: User) => void = () => {};
    fake.manager.signinRedirectCallback.mockImplementation(() => new Promise((r) => (resolve = r)));
    const { navigator } = renderApp("/auth/callback?code=c1&state=s1", fake);

    expect(await screen.findByText("Signing you in with id.example.com…")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Signing in" })).toBeInTheDocument();
    expect(fake.manager.signinRedirectCallback).toHaveBeenCalledOnce();
    expect(fake.manager.signinRedirectCallback).toHaveBeenCalledWith(expect.stringMatching(/\/auth\/callback\?code=c1&state=s1$/));

    const user = testUser("at-1", 3_600_000, { returnTo: "/where/i/was?tab=2" }, { name: "Ada Lovelace" });
    act(() => {
      fake.load(user);
      resolve(user);
    });
    // The callback address (its code is good once) is replaced, not kept.
    await waitFor(() => expect(navigator.history).toEqual(["/where/i/was?tab=2"]));
    expect(screen.getByLabelText("identity")).toHaveTextContent("oidc:sub-1");
    expect(screen.getByRole("combobox", { name: "Signed in as" })).toHaveTextContent("Ada Lovelace");
  });

  it("shows the provider's error, with a way back and a way to try again", async () => {
    const fake = fakeUserManager(null);
    const denied = new ErrorResponse({
      error: "access_denied",
      error_description: "The resource owner denied the request.",
      userState: { returnTo: "/where/i/was" },
    });
    fake.manager.signinRedirectCallback.mockRejectedValue(denied);
    const { navigator } = renderApp("/auth/callback?error=access_denied&state=s1", fake);

    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Sign-in failed")).toBeInTheDocument();
    expect(alert).toHaveTextContent("id.example.com did not let you sign in (access_denied). The resource owner denied the request.");
    expect(screen.getByLabelText("identity")).toHaveTextContent("demo:profile-1");

    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(fake.manager.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: "/where/i/was" } });

    await userEvent.click(within(alert).getByRole("button", { name: "Back to Cinegraph" }));
    expect(navigator.history).toEqual(["/where/i/was"]);
  });

  it.each([
    [new ErrorResponse({ error: "invalid_scope" }), "id.example.com answered with an error (invalid_scope)."],
    [new Error("No matching state found in storage"), "could not be completed: No matching state found in storage"],
  ])("shows other failures: %s", async (err, want) => {
    const fake = fakeUserManager(null);
    fake.manager.signinRedirectCallback.mockRejectedValue(err);
    const { navigator } = renderApp("/auth/callback?code=c&state=s", fake);
    expect(await screen.findByRole("alert")).toHaveTextContent(want);
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    expect(navigator.history).toEqual(["/auth/callback?code=c&state=s"]);
  });

  it("says so when the server names no provider", async () => {
    const fake = fakeUserManager(null);
    renderApp("/auth/callback?code=c", fake, { demoTokens: true, oidc: null });
    expect(await screen.findByRole("alert")).toHaveTextContent("This server does not sign in with an OpenID Connect provider.");
    expect(fake.manager.signinRedirectCallback).not.toHaveBeenCalled();
  });
});
