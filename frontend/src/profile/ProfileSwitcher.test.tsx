import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ProfileProvider, useProfile } from "./ProfileContext";
import { ProfileSwitcher } from "./ProfileSwitcher";
import { PROFILE_STORAGE_KEY, readProfile } from "./profileStore";

function Current() {
  return <output aria-label="current">{useProfile().profile}</output>;
}

describe("ProfileSwitcher", () => {
  it("defaults to profile-1 and stores the choice", async () => {
    render(
      <ProfileProvider>
        <ProfileSwitcher />
        <Current />
      </ProfileProvider>,
    );
    expect(screen.getByLabelText("current")).toHaveTextContent("profile-1");

    await userEvent.click(screen.getByRole("combobox", { name: "Signed in as" }));
    await userEvent.click(within(screen.getByRole("listbox")).getByText("profile-4"));

    expect(screen.getByLabelText("current")).toHaveTextContent("profile-4");
    expect(localStorage.getItem(PROFILE_STORAGE_KEY)).toBe("profile-4");
    expect(readProfile()).toBe("profile-4");
  });

  it("starts from the stored profile", () => {
    localStorage.setItem(PROFILE_STORAGE_KEY, "profile-2");
    render(
      <ProfileProvider>
        <Current />
      </ProfileProvider>,
    );
    expect(screen.getByLabelText("current")).toHaveTextContent("profile-2");
  });
});
