import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AuthConfig } from "../auth/authConfig";
import { fakeUserManager, testOidcConfig, testUser } from "../test/fakeOidc";
import { memoryNavigator, Router } from "../routing/router";
import { ProfileProvider, useProfile } from "./ProfileContext";
import { ProfileSwitcher } from "./ProfileSwitcher";
import { PROFILE_STORAGE_KEY, readProfile } from "./profileStore";

function Current() {
  const { profile, identity } = useProfile();
  return (
    <>
      <output aria-label="current">{profile}</output>
      <output aria-label="identity">{identity.key}</output>
    </>
  );
}

const ada = () => testUser("at-1", 3_600_000, undefined, { name: "Ada Lovelace", email: "ada@example.com" });

/** The menu under a ProfileProvider whose /auth/config says config, with a fake UserManager holding user. */
async function renderMenu(config: AuthConfig, { user = null as ReturnType<typeof ada> | null, route = "/" } = {}) {
  const fake = fakeUserManager(user);
  const navigator = memoryNavigator(route);
  render(
    <ProfileProvider loadConfig={async () => config} createOidc={(c) => fake.session({ config: c })}>
      <Router navigator={navigator}>
        <ProfileSwitcher />
        <Current />
      </Router>
    </ProfileProvider>,
  );
  const menu = await screen.findByRole("combobox", { name: "Signed in as" });
  const open = async () => {
    await userEvent.click(menu);
    return within(screen.getByRole("listbox"));
  };
  return { fake, menu, open };
}

const demoOnly: AuthConfig = { demoTokens: true, oidc: null };
const both: AuthConfig = { demoTokens: true, oidc: testOidcConfig };
const oidcOnly: AuthConfig = { demoTokens: false, oidc: testOidcConfig };
const neither: AuthConfig = { demoTokens: false, oidc: null };
const PROFILES = ["Ada", "Grace", "Linus", "Margaret", "Alan"];
/** An entry's words, without its avatar's initials. */
const label = (el: HTMLElement) => el.querySelector("[data-label]")?.textContent ?? el.textContent;

describe("ProfileSwitcher", () => {
  it("defaults to profile-1 and stores the choice", async () => {
    const { open } = await renderMenu(demoOnly);
    expect(screen.getByLabelText("current")).toHaveTextContent("profile-1");

    await userEvent.click((await open()).getByText("Margaret"));

    expect(screen.getByLabelText("current")).toHaveTextContent("profile-4");
    expect(screen.getByLabelText("identity")).toHaveTextContent("demo:profile-4");
    expect(localStorage.getItem(PROFILE_STORAGE_KEY)).toBe("profile-4");
    expect(readProfile()).toBe("profile-4");
  });

  it("starts from the stored profile", async () => {
    localStorage.setItem(PROFILE_STORAGE_KEY, "profile-2");
    const { menu } = await renderMenu(demoOnly);
    expect(screen.getByLabelText("current")).toHaveTextContent("profile-2");
    expect(label(menu)).toBe("Grace");
  });

  it("names the seeded profiles, each with an avatar of its initials", async () => {
    const { menu, open } = await renderMenu(demoOnly);
    expect(menu).toHaveTextContent("AAda");
    const list = await open();
    const options = list.getAllByRole("option");
    expect(options.map(label)).toEqual(PROFILES);
    expect(options.map((o) => o.querySelector(".MuiAvatar-root")?.textContent)).toEqual(["A", "G", "L", "M", "A"]);
    expect(list.getByRole("option", { name: "Grace" })).toBeInTheDocument();
  });

  it("shows an unknown stored profile by its id", async () => {
    localStorage.setItem(PROFILE_STORAGE_KEY, "profile-9");
    const { menu, open } = await renderMenu(demoOnly);
    expect(label(menu)).toBe("profile-9");
    expect((await open()).getAllByRole("option").map(label)).toEqual(["profile-9", ...PROFILES]);
  });

  it("waits for /auth/config before signing in", async () => {
    render(
      <ProfileProvider loadConfig={() => new Promise(() => {})}>
        <Current />
      </ProfileProvider>,
    );
    expect(screen.getByRole("progressbar", { name: "Loading sign-in settings" })).toBeInTheDocument();
    expect(screen.queryByLabelText("identity")).not.toBeInTheDocument();
  });

  it.each<{ name: string; config: AuthConfig; signedIn: boolean; shown: string; items: string[]; identity: string }>([
    { name: "demo tokens only", config: demoOnly, signedIn: false, shown: "Ada", items: PROFILES, identity: "demo:profile-1" },
    {
      name: "provider and demo tokens",
      config: both,
      signedIn: false,
      shown: "Ada",
      items: ["Sign in with id.example.com", ...PROFILES],
      identity: "demo:profile-1",
    },
    {
      name: "provider only",
      config: oidcOnly,
      signedIn: false,
      shown: "Not signed in",
      items: ["Sign in with id.example.com", "Not signed in"],
      identity: "anonymous",
    },
    { name: "neither", config: neither, signedIn: false, shown: "Not signed in", items: ["Not signed in"], identity: "anonymous" },
    {
      name: "signed in at the provider, demo tokens too",
      config: both,
      signedIn: true,
      shown: "Ada Lovelace (ada@example.com)",
      items: ["Ada Lovelace (ada@example.com)", "Sign out", ...PROFILES],
      identity: "oidc:sub-1",
    },
    {
      name: "signed in at the provider only",
      config: oidcOnly,
      signedIn: true,
      shown: "Ada Lovelace (ada@example.com)",
      items: ["Ada Lovelace (ada@example.com)", "Sign out"],
      identity: "oidc:sub-1",
    },
  ])("$name", async ({ config, signedIn, shown, items, identity }) => {
    const { menu, open } = await renderMenu(config, { user: signedIn ? ada() : null });
    expect(label(menu)).toBe(shown);
    expect(screen.getByLabelText("identity")).toHaveTextContent(identity);
    const list = await open();
    expect(list.getAllByRole("option").map(label)).toEqual(items);
  });

  it("signs in with the provider, coming back to the current page", async () => {
    const { fake, open } = await renderMenu(both, { route: "/title/t1?tab=2" });
    await userEvent.click((await open()).getByRole("option", { name: "Sign in with id.example.com" }));
    expect(fake.manager.signinRedirect).toHaveBeenCalledWith({ state: { returnTo: "/title/t1?tab=2" } });
    // Still the demo profile until the provider sends the browser back.
    expect(screen.getByLabelText("identity")).toHaveTextContent("demo:profile-1");
  });

  it("says why the sign-in could not start", async () => {
    const { fake, open } = await renderMenu(oidcOnly);
    fake.manager.signinRedirect.mockRejectedValue(new Error("Failed to fetch"));
    await userEvent.click((await open()).getByRole("option", { name: "Sign in with id.example.com" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not sign in with id.example.com: Failed to fetch");
  });

  it("signs out at the provider", async () => {
    const { fake, open } = await renderMenu(both, { user: ada() });
    await userEvent.click((await open()).getByRole("option", { name: "Sign out" }));
    expect(fake.manager.signoutRedirect).toHaveBeenCalledOnce();
  });

  it("signs out here when the provider cannot, and falls back to the demo profile", async () => {
    const { fake, open } = await renderMenu(both, { user: ada() });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    fake.manager.signoutRedirect.mockRejectedValue(new Error("No end session endpoint"));
    await userEvent.click((await open()).getByRole("option", { name: "Sign out" }));
    expect(await screen.findByLabelText("identity")).toHaveTextContent("demo:profile-1");
    expect(fake.manager.removeUser).toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
  });

  it("leaves the provider's user for a demo profile", async () => {
    const { fake, open, menu } = await renderMenu(both, { user: ada() });
    expect(screen.getByLabelText("identity")).toHaveTextContent("oidc:sub-1");
    await userEvent.click((await open()).getByRole("option", { name: "Linus" }));
    expect(screen.getByLabelText("identity")).toHaveTextContent("demo:profile-3");
    expect(fake.manager.removeUser).toHaveBeenCalledOnce();
    expect(label(menu)).toBe("Linus");
    const list = await open();
    expect(list.getByRole("option", { name: "Sign in with id.example.com" })).toBeInTheDocument();
    expect(list.queryByRole("option", { name: "Sign out" })).toBeNull();
  });
});
